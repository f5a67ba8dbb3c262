/**
 * With `pack` placement: every partition for the live worker that runs the most of them now
 * (the lowest id on a tie, as when all start together), none for the others. A worker that joins
 * later — a crashed one restarted — stands by instead of pulling the partitions back.
 */
export function packedShare(
  me: string,
  liveWorkers: readonly string[],
  owners: ReadonlyMap<number, { worker: string }>,
  ownedByMe: number,
  partitions: number,
): number {
  const counts = new Map(liveWorkers.map((w) => [w, 0]));
  for (const { worker } of owners.values()) if (counts.has(worker) && worker !== me) counts.set(worker, counts.get(worker)! + 1);
  counts.set(me, ownedByMe);
  const [leader] = [...counts].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))[0]!;
  return leader === me ? partitions : 0;
}

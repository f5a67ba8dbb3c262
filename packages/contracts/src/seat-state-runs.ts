/**
 * Sparse seat states (`GET /v1/sessions/:id/seats?format=sparse`): per area only the seats that
 * are not available, as runs of consecutive numbers in a row, so a 20,000-seat map at the opening
 * is a few hundred bytes instead of 20,000 entries (0.8 MB of JSON), and a sale's holds (adjacent
 * seats, mostly) cost one entry each. Every seat of a listed area that is not named is available;
 * seats of areas not listed are not sold by the session. Plain TypeScript, no dependencies: the
 * browser imports this file (`@rush/contracts/seat-state-runs`) without the rest of the package;
 * the answer's schema is `SeatMapSparseView` (`http/buying.ts`).
 */

/** The statuses a sparse view names; everything else in a listed area is available. */
export const SPARSE_STATUSES = ["held", "sold", "mine"] as const;
export type SparseStatus = (typeof SPARSE_STATUSES)[number];

/**
 * Seats in display order (row, then number) → entries, consecutive numbers of a row merged: an
 * entry is `<row>-<number>` (seat `<areaId>-<row>-<number>`) or `<row>-<first>~<last>`.
 */
export function toSeatRuns(seats: readonly { row: string; number: number }[]): string[] {
  const entries: string[] = [];
  for (let i = 0; i < seats.length; ) {
    const { row, number: first } = seats[i]!;
    let last = first;
    let j = i + 1;
    while (j < seats.length && seats[j]!.row === row && seats[j]!.number === last + 1) last = seats[j++]!.number;
    entries.push(last === first ? `${row}-${first}` : `${row}-${first}~${last}`);
    i = j;
  }
  return entries;
}

/** Calls `fn` with every seat id the entries name (malformed entries name none). */
export function forEachSeatInRuns(areaId: string, entries: readonly string[], fn: (seatId: string) => void): void {
  for (const entry of entries) {
    const match = /^([A-Za-z0-9_]+)-(\d+)(?:~(\d+))?$/.exec(entry);
    if (!match) continue;
    const first = Number(match[2]);
    // Bounded by a row's real length: a forged `1~999999999` must not spin the browser.
    const last = Math.min(Number(match[3] ?? first), first + 100_000);
    for (let n = first; n <= last; n++) fn(`${areaId}-${match[1]}-${n}`);
  }
}

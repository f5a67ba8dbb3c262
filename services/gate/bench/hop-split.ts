/**
 * Where traced holds waited, hop by hop, from the bench's trace lines (BENCH_TRACE_FILE): the
 * client's latency, then the gate's `Server-Timing` (pre, begin, engine, total) and the actor's
 * hops inside `engine` (stream, delivery, queue, actor, reply). Means over every granted hold and
 * over the slowest 1 %: a tail that grows in one hop is one process; a tail that grows in every
 * hop at once is a busy machine.
 */

/** The durations a traced hold's line carries after its start: latency, status, then the header's in order. */
const HOPS = ["pre", "begin", "engine", "total", "stream", "delivery", "queue", "actor", "reply"] as const;

/** A hold's milliseconds as the table shows them. */
export interface HoldHops {
  client: number;
  pre: number;
  begin: number;
  /** `engine` less its five hops: the turn's flush before the command left, and the handler waking once the reply was in. */
  flush: number;
  stream: number;
  delivery: number;
  queue: number;
  actor: number;
  reply: number;
  /** The client's latency less the gate's total: the request and the answer on the wire and in the two loops. */
  outside: number;
}

const COLUMNS: (keyof HoldHops)[] = ["client", "pre", "begin", "flush", "stream", "delivery", "queue", "actor", "reply", "outside"];

/** A trace line ("<start> <latency> <status> <nine durations>") as hops; undefined unless a 201 with all nine. */
export function hopsOf(line: string): HoldHops | undefined {
  const [, latency, status, ...durations] = line.trim().split(" ");
  if (status !== "201" || durations.length < HOPS.length) return undefined;
  const d = Object.fromEntries(HOPS.map((name, i) => [name, Number(durations[i])])) as Record<(typeof HOPS)[number], number>;
  const client = Number(latency);
  if (![client, ...Object.values(d)].every(Number.isFinite)) return undefined;
  return {
    client,
    pre: d.pre,
    begin: d.begin,
    flush: d.engine - (d.stream + d.delivery + d.queue + d.actor + d.reply),
    stream: d.stream,
    delivery: d.delivery,
    queue: d.queue,
    actor: d.actor,
    reply: d.reply,
    outside: client - d.total,
  };
}

/** Each column's mean over `holds`. */
export function meanHops(holds: readonly HoldHops[]): HoldHops {
  const mean = Object.fromEntries(COLUMNS.map((column) => [column, 0])) as unknown as HoldHops;
  for (const hold of holds) for (const column of COLUMNS) mean[column] += hold[column] / holds.length;
  return mean;
}

/** The table's lines for one level's trace (nothing when no line carries the actor's hops). */
export function hopLines(trace: readonly string[]): string[] {
  const holds = trace.map(hopsOf).filter((hold): hold is HoldHops => hold !== undefined);
  if (holds.length === 0) return [];
  const slowest = [...holds].sort((a, b) => b.client - a.client).slice(0, Math.max(1, Math.ceil(holds.length / 100)));
  const row = (label: string, mean: HoldHops, n: number) =>
    `  ${label.padEnd(16)}${COLUMNS.map((column) => mean[column].toFixed(1).padStart(9)).join("")}   (${n.toLocaleString("en-US")})`;
  return [
    `  traced, ms mean ${COLUMNS.map((column) => column.padStart(9)).join("")}`,
    row("every hold", meanHops(holds), holds.length),
    row("slowest 1 %", meanHops(slowest), slowest.length),
  ];
}

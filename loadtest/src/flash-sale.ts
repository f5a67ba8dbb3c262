import { monitorEventLoopDelay } from "node:perf_hooks";
import type { LoadReport } from "../k6/lib/report.js";
import { failuresOf } from "../k6/lib/rules.js";
import { auditSale } from "./audit.ts";
import { type BuyerOutcome, newOutcome, runBuyer } from "./buyer.ts";
import { createClient } from "./http-client.ts";
import { assertLoopback } from "./loopback.ts";
import { createPowSolver } from "./proof-of-work.ts";
import { createRecorder } from "./recorder.ts";
import { type SaleInfo, preflight } from "./preflight.ts";
import type { SeededBuyer } from "./seed.ts";

/** The Node runner of the flash sale that `k6/flash-sale.js` runs in k6. */
export interface FlashSaleOptions {
  baseUrl: string;
  /** Where the audit checks the sale's invariants afterwards. */
  databaseUrl: string;
  sessionId: string;
  runId: string;
  buyers: SeededBuyer[];
  /** Source addresses the buyers are spread over (see `parseLocalIps`). */
  localIps: string[];
  /** Arrivals ramp up over this long (most buyers arrive near its end: a burst, not a trickle). */
  rampSeconds: number;
  /** Hard stop for the buyers; the audit runs after it. */
  maxSeconds: number;
  /** Share of buyers who also watch the seat map while buying. */
  readerShare?: number;
  explicitShare?: number;
  payShare?: number;
  retriesAfter409?: number;
  /** Multiplies every step's p99 threshold (a busy shared machine). */
  p99Scale?: number;
  notes?: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A browser's connections to one origin over HTTP/1.1. */
const BROWSER_CONNECTIONS = 6;
/** The web app's public seat map reads the seats every 10 s (`use-seat-map-data.ts`). */
const SEAT_MAP_POLL_MS = 10_000;

export async function runFlashSale(options: FlashSaleOptions): Promise<LoadReport> {
  const base = assertLoopback(options.baseUrl);
  if (options.buyers.length === 0) throw new Error("a flash sale needs buyers (--buyers 1 or more)");
  const startedAt = new Date();
  const recorder = createRecorder();
  // One browser per buyer: its own keep-alive connections, opened when it arrives and kept. Buyers
  // sharing a pool per address opened ~1,900 new connections in the seconds the sale opened (a
  // pay held one for seconds, so the next buyer's poll needed another) into a gate busy with the
  // burst, which accepts one connection per loop turn; real buyers' browsers connected earlier.
  const clients = options.buyers.map((_, n) => createClient(base, options.localIps[n % options.localIps.length]!, recorder, 30_000, BROWSER_CONNECTIONS));
  const clientOf = (n: number) => clients[n % clients.length]!;
  const solver = createPowSolver();
  const sale: SaleInfo = await preflight(clientOf(0), options.sessionId, options.buyers[0]!.token);
  const t0 = performance.now();
  const deadline = t0 + options.maxSeconds * 1000;
  const shape = {
    sessionId: options.sessionId,
    runId: options.runId,
    areas: sale.areas,
    explicitShare: options.explicitShare ?? 0.3,
    payShare: options.payShare ?? 0.9,
    retriesAfter409: options.retriesAfter409 ?? 2,
    deadline,
  };

  // Seat-map watchers: a share of the buyers, each from its own address, every ~10 s until the
  // end, as the web app's public seat map polls it (signed-in buyers read it once and follow the
  // live feed). Every 2 s, as before, made 100 readers fetch ~40 MB/s of seat maps from the gate.
  let selling = true;
  const readerCount = Math.ceil(options.buyers.length * (options.readerShare ?? 0.05));
  const readers = Array.from({ length: readerCount }, async (_, r) => {
    const buyer = options.buyers[r]!;
    await sleep(Math.random() * SEAT_MAP_POLL_MS);
    while (selling && performance.now() < deadline) {
      await clientOf(r).call("seat_map", "GET", `/v1/sessions/${options.sessionId}/seats`, { headers: { authorization: `Bearer ${buyer.token}` }, discard: true }).catch(() => {});
      await sleep(SEAT_MAP_POLL_MS * (0.9 + Math.random() * 0.2));
    }
  });

  // Arrival i at ramp·√(i/N): the arrival rate grows linearly to its peak at the end of the ramp.
  const total = options.buyers.length;
  const outcomes: BuyerOutcome[] = [];
  let noAnswer = 0;
  // Every latency this runner records includes its own waits: one event loop drives all buyers,
  // so a loop held up at the burst shows as a tail no server caused. The report says how much.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  await Promise.all(
    options.buyers.map(async (buyer, n) => {
      await sleep(options.rampSeconds * 1000 * Math.sqrt(n / total));
      if (performance.now() >= deadline) return;
      const outcome = newOutcome();
      outcomes.push(outcome);
      await runBuyer(n, buyer, clientOf(n), recorder, shape, solver, outcome).catch(() => {
        noAnswer++;
      });
    }),
  );
  const elapsedSeconds = (performance.now() - t0) / 1000;
  loopDelay.disable();
  const loopMs = (ns: number) => Math.round(ns / 1e6);
  selling = false;
  await Promise.all(readers);
  for (const client of clients) client.close();
  await solver.close();

  const audit = await auditSale(options.databaseUrl, options.sessionId);
  // Also from the answers themselves: two buyers told they have the same seat.
  const owner = new Map<string, string>();
  for (const o of outcomes) {
    if (o.released) continue;
    for (const seat of o.granted?.seatIds ?? []) {
      if (owner.has(seat) && !audit.doubleGranted.includes(seat)) audit.doubleGranted.push(seat);
      owner.set(seat, o.granted!.holdId);
    }
  }
  const summary = recorder.summarize(options.p99Scale ?? 1);
  const granted = outcomes.filter((o) => o.granted).length;
  const paid = outcomes.filter((o) => o.paid).length;
  const sum = (k: "refused" | "pending") => outcomes.reduce((s, o) => s + o[k], 0);
  const report: LoadReport = {
    runner: "node",
    runId: options.runId,
    startedAt: startedAt.toISOString(),
    baseUrl: base.origin,
    sessionId: options.sessionId,
    buyers: total,
    elapsedSeconds,
    ...summary,
    totals: {
      granted,
      seatsGranted: owner.size,
      refused: sum("refused"),
      pending: sum("pending"),
      paid,
      ticketsIssued: audit.ticketsIssued,
      rateLimited: Object.entries(summary.statuses).reduce((s, [k, v]) => s + (k.endsWith(" 429") ? v : 0), 0),
      serverErrors: Object.entries(summary.statuses).reduce((s, [k, v]) => s + (/ 5\d\d$/.test(k) ? v : 0), 0),
      challenged: outcomes.filter((o) => o.challenged).length,
      solved: outcomes.filter((o) => o.solved).length,
    },
    rates: { holdsPerSecond: granted / elapsedSeconds, paymentsPerSecond: paid / elapsedSeconds },
    audit,
    failures: [],
    notes: [
      `${total} buyers from ${options.localIps.length} source addresses, arrivals ramped over ${options.rampSeconds} s, ${readerCount} seat-map readers`,
      `the runner's own event loop was held up by p99 ${loopMs(loopDelay.percentile(99))} ms, at most ${loopMs(loopDelay.max)} ms: its latencies include that much of its own waiting`,
      ...(noAnswer > 0 ? [`${noAnswer} buyers got no answer to a request (timeouts or refused connections; see "no answer" statuses)`] : []),
      ...(options.notes ?? []),
    ],
  };
  report.failures = failuresOf(report, options.p99Scale ?? 1);
  if (noAnswer > 0) report.failures.push(`${noAnswer} buyers got no answer from the gate (timeouts or refused connections)`);
  return report;
}

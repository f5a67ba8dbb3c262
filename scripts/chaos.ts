/**
 * `pnpm chaos`: a bounded run against the local stack (`./scripts/start`, same PORT_OFFSET and
 * DATA_DIR) that sells seats while it restarts Redis, nats-server and PostgreSQL and SIGKILLs a
 * ticket worker (the dev supervisor restarts it). Prints grants per second, the time to the
 * first grant after each fault, the answer codes, and the invariants; exits 1 on a violation.
 *
 * Env: CHAOS_BUYERS (16), CHAOS_HOLD_EVERY_MS per buyer (1100), CHAOS_GAP_MS between faults (12000), CHAOS_SHORT=1 (Redis and a worker
 * only: the end-to-end tier's version), PORT_OFFSET, DATA_DIR, DATABASE_URL, GATE_URL.
 */
import { resolve } from "node:path";
import { createDb } from "@rush/db";
import { buyer, newTally } from "./chaos/buyers.ts";
import { apiClient, sleep } from "./chaos/client.ts";
import { type FaultRecord, killTicketWorker, restartServer } from "./chaos/faults.ts";
import { checkInvariants } from "./chaos/invariants.ts";
import { setUpSale } from "./chaos/setup.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const off = Number(process.env.PORT_OFFSET ?? 0);
// The same ports ./scripts/start derives from PORT_OFFSET, for infra.sh and the services.
for (const [key, port] of Object.entries({ NATS_PORT: 14222, NATS_MONITOR_PORT: 18222, REDIS_PORT: 16379, PG_PORT: 15432 })) {
  process.env[key] ??= String(port + off);
}
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? ".data");
const GATE = process.env.GATE_URL ?? `http://127.0.0.1:${8080 + off}`;
const DATABASE_URL = process.env.DATABASE_URL ?? `postgres://postgres:${process.env.PG_PASSWORD ?? "rush-dev"}@127.0.0.1:${process.env.PG_PORT}/${process.env.PG_DB ?? "rush"}`;
const SHORT = process.env.CHAOS_SHORT === "1";
const GAP_MS = Number(process.env.CHAOS_GAP_MS ?? 12_000);
const PARTITIONS = Number(process.env.PARTITIONS ?? 64);

const api = apiClient(GATE);
console.log(`chaos: stack at ${GATE}; setting up a sale…`);
const sale = await setUpSale(api, { rows: SHORT ? 10 : 20, perRow: 25, buyers: Number(process.env.CHAOS_BUYERS ?? 16) });
console.log(`chaos: session ${sale.sessionId}, ${sale.seats} seats, ${sale.tokens.length} buyers`);

// fetch's sockets and AbortSignal.timeout's timers do not keep the process alive: with every
// buyer and the takeover probe waiting on an answer at once (a worker just SIGKILLed), node saw
// nothing left to do and ended the run mid-way (exit 13). The run is bounded by its own steps.
const keepAlive = setInterval(() => {}, 1_000);
const tally = newTally();
let over = false;
const buyers = Promise.all(sale.tokens.map(({ token }) => buyer(api, token, sale.sessionId, tally, () => over)));
const faults: FaultRecord[] = [];
const plan: [string, () => Promise<{ at: number; backAt: number }>][] = [
  ["redis restart", () => restartServer(ROOT, "redis", 1_000)],
  ...(SHORT ? [] : ([
    ["nats-server restart", () => restartServer(ROOT, "nats", 1_000)],
    ["postgres restart", () => restartServer(ROOT, "postgres", 1_000)],
  ] as [string, () => Promise<{ at: number; backAt: number }>][])),
  ["ticket worker SIGKILL", () => killTicketWorker(DATA_DIR, PARTITIONS)],
];
for (const [name, fault] of plan) {
  await sleep(GAP_MS);
  if (tally.soldOut) break;
  console.log(`chaos: ${name}…`);
  faults.push({ name, ...(await fault()) });
}
const faultsOverAt = Date.now();
await sleep(GAP_MS);
over = true;
await buyers;
for (const f of faults) f.firstGrantAt = tally.grantTimes.find((t) => t >= f.backAt);

console.log("\ngrants per second:");
const seconds = tally.grants.length;
for (let s = 0; s < seconds; s += 10) console.log(`  ${String(s).padStart(3)} s  ${Array.from({ length: 10 }, (_, i) => String(tally.grants[s + i] ?? 0).padStart(4)).join("")}`);
console.log("\nfaults (t from the start of selling):");
const t = (ms: number) => `${((ms - tally.startedAt) / 1000).toFixed(1)} s`;
for (const f of faults) {
  const toGrant = f.firstGrantAt === undefined ? "no grant after it" : `${((f.firstGrantAt - f.backAt) / 1000).toFixed(2)} s`;
  console.log(`  ${f.name.padEnd(22)} at ${t(f.at)}, back at ${Number.isNaN(f.backAt) ? "never" : t(f.backAt)} (${((f.backAt - f.at) / 1000).toFixed(1)} s), first grant after: ${toGrant}`);
}
console.log("\nanswers:");
for (const [code, n] of [...tally.codes].sort()) console.log(`  ${code.padEnd(32)} ${n}`);

console.log("\nsettling (payments, orders, tickets) for 20 s…");
await sleep(20_000);
const db = createDb(DATABASE_URL, { max: 2, applicationName: "chaos" });
const invariants = await checkInvariants(db.sql, api, sale.tokens[0]!.token, sale.sessionId);
await db.close();
clearInterval(keepAlive);
const phantom = tally.phantomRefusals.filter((at) => at > faultsOverAt + 5_000).length;
const worstGrant = Math.max(...faults.filter((f) => !f.name.includes("SIGKILL")).map((f) => (f.firstGrantAt ?? Number.POSITIVE_INFINITY) - f.backAt));
const takeover = faults.find((f) => f.name.includes("SIGKILL"));
const checks = {
  "no seat in two completed orders": invariants.doubleSold === 0,
  "every paid order completed (one ticket per seat) or refunded": invariants.paidWithoutTicketsOrRefund === 0 && invariants.completedWithWrongTicketCount === 0,
  [`sold seats on the map (${invariants.soldOnMap}) equal the tickets (${invariants.tickets})`]: invariants.mapMatchesTickets,
  [`no too_many_holds for a buyer without live holds once faults are over (${phantom})`]: phantom === 0,
  [`first grant within 3 s of Redis/NATS/PostgreSQL answering again (worst ${(worstGrant / 1000).toFixed(2)} s)`]: worstGrant <= 3_000,
  [`a killed worker's partitions taken over within 10 s (${takeover ? ((takeover.backAt - takeover.at) / 1000).toFixed(1) : "-"} s)`]:
    takeover !== undefined && takeover.backAt - takeover.at <= 10_000,
};
console.log("\nchecks:");
for (const [what, ok] of Object.entries(checks)) console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
const violations = Object.values(checks).filter((ok) => !ok).length;
console.log(`\nchaos: ${violations === 0 ? "0 violations" : `${violations} violation(s)`}`);
process.exit(violations === 0 ? 0 : 1);

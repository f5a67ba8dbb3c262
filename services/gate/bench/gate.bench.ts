/**
 * `pnpm bench gate`: holds per second and latency over HTTP end to end (client → gate → NATS →
 * ticket actor → Redis → reply → gate → client), next to the engine-only figure (the same holds
 * sent straight through the seat command client) from the same run, at several concurrencies.
 * Starts its own nats-server, redis-server, test PostgreSQL database, ticket workers and gate
 * on loopback; bounded by BENCH_HOLDS per level and BENCH_SECONDS; stops by itself.
 */
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { createDb, runMigrations } from "@rush/db";
import { createRedis, seatReplyLookup } from "@rush/service";
import { freshDatabase, infra, isRunning, spawnService, startNats, startRedis, testPgAdminUrl } from "@rush/testkit";
import { type Stack, TEST_JWT_SECRET, accessToken, seedSession } from "../src/test-stack.ts";

const HOLDS = Number(process.env.BENCH_HOLDS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "1,16,64,256").split(",").map(Number);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const PARTITIONS = 64;
const AREAS = ["A", "B", "C", "D"];
const ROWS = 40;
const PER_ROW = 50;
const SEATS_PER_HOLD = 2;

interface Figure {
  holds: number;
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Runs `attempt(i)` with `concurrency` in flight until HOLDS are done or SECONDS pass. */
async function drive(concurrency: number, attempt: (i: number) => Promise<boolean>): Promise<Figure> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < HOLDS && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        const ok = await attempt(i);
        latencies.push(performance.now() - t0);
        if (!ok) failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { holds: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

/** The seats of hold `i`: pairs side by side, spread over the areas, never overlapping. */
function seatsOf(i: number): { areaId: string; seatIds: string[] } {
  const areaId = AREAS[i % AREAS.length]!;
  const k = Math.floor(i / AREAS.length) * SEATS_PER_HOLD;
  const row = Math.floor(k / PER_ROW) + 1;
  return { areaId, seatIds: Array.from({ length: SEATS_PER_HOLD }, (_, j) => `${areaId}-${row}-${(k % PER_ROW) + j + 1}`) };
}

function post(agent: Agent, port: number, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "—");

async function main() {
  if (!(await isRunning("postgres"))) await infra(["up", "postgres"]);
  const [nats, redisServer, database] = await Promise.all([startNats(), startRedis(), freshDatabase(testPgAdminUrl(), "benchgate")]);
  await runMigrations(database.url);
  const bus = await connectBus({ servers: nats.url, name: "bench-gate" });
  await ensureTopology(bus, await loadTopology());
  const redis = createRedis(redisServer.url, "bench-gate");
  const db = createDb(database.url, { max: 4 });
  const lookup = seatReplyLookup(redis);
  const seats = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup });
  const env = { NATS_URL: nats.url, REDIS_URL: redisServer.url, DATABASE_URL: database.url, PARTITIONS: String(PARTITIONS), LOG_LEVEL: "warn" };
  const tickets = await Promise.all(Array.from({ length: WORKERS }, (_, i) => spawnService("ticket", { ...env, WORKER_ID: `bench-w${i + 1}` })));
  const gate = await spawnService("gate", {
    ...env,
    JWT_SECRET: TEST_JWT_SECRET,
    CATALOG_URL: "http://127.0.0.1:9",
    BOT_CHALLENGE_SCORE: "101",
    // Limits stay on (their Redis round trips are part of the cost), set out of the way of one client address.
    RATE_LIMITS: JSON.stringify({ hold: { user: 1000, ip: 1_000_000 } }),
  });
  const stack = { seats, db } as unknown as Stack;
  const seed = () => seedSession(stack, { areas: AREAS.map((id) => ({ id, rows: ROWS, perRow: PER_ROW })), maxSeatsPerBuyer: 10_000, maxSeatsPerHold: 8 });

  console.log(`gate bench: ${WORKERS} ticket workers, ${PARTITIONS} partitions, holds of ${SEATS_PER_HOLD} explicit seats, up to ${HOLDS} holds or ${SECONDS} s per level\n`);
  console.log("  concurrency │ over HTTP (gate)                │ engine only (seat command client) │ gate/engine");
  console.log("              │  holds/s     p50 ms    p99 ms   │  holds/s     p50 ms    p99 ms     │");
  const rows: string[] = [];
  try {
    for (const concurrency of LEVELS) {
      const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
      const users = Array.from({ length: HOLDS }, () => accessToken(randomUUID()));
      const httpSession = await seed();
      // Warm up the gate's caches (session settings, JWT verifier) outside the measurement.
      await post(agent, gate.port, `/v1/sessions/${httpSession}/holds`, { authorization: `Bearer ${accessToken()}`, "idempotency-key": "warm" }, JSON.stringify({ seatIds: [`D-${ROWS}-${PER_ROW}`] }));
      const overHttp = await drive(concurrency, async (i) => {
        const { seatIds } = seatsOf(i);
        const status = await post(
          agent,
          gate.port,
          `/v1/sessions/${httpSession}/holds`,
          { authorization: `Bearer ${users[i]}`, "idempotency-key": `bench-${i}`, "user-agent": "rush-bench", accept: "application/json" },
          JSON.stringify({ seatIds }),
        );
        return status === 201;
      });
      agent.destroy();

      const engineSession = await seed();
      const engineOnly = await drive(concurrency, async (i) => {
        const { areaId, seatIds } = seatsOf(i);
        const outcome = await seats.send(
          { type: "HoldSeats", commandId: randomUUID(), sessionId: engineSession, areaId, now: Date.now(), holdId: randomUUID(), buyerId: randomUUID(), seatIds },
          { timeoutMs: 5000 },
        );
        return outcome.status === "done" && outcome.reply.events.some((e) => e.type === "SeatsHeld");
      });
      const ratio = overHttp.perSecond / engineOnly.perSecond;
      const line =
        `  ${String(concurrency).padStart(11)} │ ${fmt(overHttp.perSecond).padStart(8)}  ${fmt(overHttp.p50, 1).padStart(8)}  ${fmt(overHttp.p99, 1).padStart(8)}   │ ` +
        `${fmt(engineOnly.perSecond).padStart(8)}  ${fmt(engineOnly.p50, 1).padStart(8)}  ${fmt(engineOnly.p99, 1).padStart(8)}     │ ${fmt(ratio * 100)} %` +
        (overHttp.failed + engineOnly.failed > 0 ? `   (failed: http ${overHttp.failed}, engine ${engineOnly.failed})` : "");
      console.log(line);
      rows.push(`| ${concurrency} | ${fmt(overHttp.perSecond)} | ${fmt(overHttp.p50, 1)} | ${fmt(overHttp.p99, 1)} | ${fmt(engineOnly.perSecond)} | ${fmt(engineOnly.p50, 1)} | ${fmt(engineOnly.p99, 1)} | ${fmt(ratio * 100)} % |`);
    }
    console.log("\nmarkdown:\n| concurrency | gate holds/s | p50 ms | p99 ms | engine holds/s | p50 ms | p99 ms | gate/engine |\n|---|---|---|---|---|---|---|---|");
    console.log(rows.join("\n"));
  } finally {
    await gate.stop();
    await Promise.all(tickets.map((t) => t.stop()));
    await seats.close();
    await bus.close();
    redis.disconnect();
    await db.close();
    await Promise.all([nats.dispose(), redisServer.dispose(), database.drop()]);
  }
}

await main();

/**
 * `pnpm bench engine`: the seat engine against its ceilings and a PostgreSQL baseline, on this
 * machine, in one run. Everything on loopback, bounded by BENCH_COMMANDS; stops by itself.
 */
import { randomUUID } from "node:crypto";
import { connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { partitionOf, seatCommandSubject, type SeatCommand } from "@rush/contracts";
import { apply, createPartitionState } from "@rush/engine";
import { createRedis, seatReplyLookup } from "@rush/service";
import { fileURLToPath } from "node:url";
import { freshDatabase, infra, isRunning, spawnService, spawnUntil, startCluster, stopProcess, startNats, startRedis, testPgAdminUrl } from "@rush/testkit";
import postgres from "postgres";
import { flashSaleCommands, grantedSeats, percentile, runFlashSale } from "../src/flash-sale.ts";
import { gridSeats, loadInventory } from "../src/test-support.ts";
import { describeCpu, startCpuMeter } from "./cpu-meter.ts";
import { createSeatsTable, pgHold } from "./pg-baseline.ts";

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 500);
const PG_CONCURRENCY = Number(process.env.BENCH_PG_CONCURRENCY ?? 32);
const ROWS = 40;
const PER_ROW = 50;
const PARTITIONS = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** CLUSTER=1: the engine's servers are a 3-node NATS cluster (streams R3) and a Redis Cluster. */
const CLUSTER = process.env.CLUSTER === "1";

/** NATS and Redis for one rig: private single servers, or a private cluster (`infra.sh up --cluster`). */
async function servers(): Promise<{ env: { NATS_URL: string; REDIS_URL: string; NATS_REPLICAS: string }; replicas: number; dispose(): Promise<void> }> {
  if (CLUSTER) {
    const cluster = await startCluster();
    return { env: cluster.env, replicas: 3, dispose: () => cluster.dispose() };
  }
  const [nats, redis] = await Promise.all([startNats(), startRedis()]);
  return {
    env: { NATS_URL: nats.url, REDIS_URL: redis.url, NATS_REPLICAS: "1" },
    replicas: 1,
    dispose: async () => {
      await Promise.all([nats.dispose(), redis.dispose()]);
    },
  };
}

type Workload = "mixed" | "best-available";
const share = (w: Workload) => (w === "mixed" ? 0.5 : 1);
const workload = (w: Workload, sessionId: string, seed: number) =>
  flashSaleCommands({ sessionId, areaId: "HOT", rows: ROWS, perRow: PER_ROW, commands: COMMANDS, concurrency: 0, seed, timeoutMs: 0, bestAvailableShare: share(w) });

interface Figure {
  perSecond: number;
  p50?: number;
  p99?: number;
  note?: string;
}
/** Every run of a figure, in order: the rounds interleave the engine and PostgreSQL. */
const results = new Map<string, Figure[]>();
const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits }));
function record(name: string, figure: Figure) {
  results.set(name, [...(results.get(name) ?? []), figure]);
  console.log(`  ${name.padEnd(44)} ${fmt(figure.perSecond).padStart(10)}/s   p50 ${fmt(figure.p50, 1).padStart(7)} ms   p99 ${fmt(figure.p99, 1).padStart(7)} ms ${figure.note ?? ""}`);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function pureDecisions(w: Workload) {
  const sessionId = randomUUID();
  const rounds = 5;
  let applied = 0;
  let elapsed = 0;
  for (let round = 0; round < rounds; round++) {
    const commands = workload(w, sessionId, round).map((c) => ({ ...c, now: 1 }));
    const state = createPartitionState();
    apply(state, loadInventory(sessionId, "HOT", gridSeats("HOT", ROWS, PER_ROW)));
    const started = performance.now();
    for (const command of commands) apply(state, command);
    elapsed += performance.now() - started;
    applied += commands.length;
  }
  record(`pure engine decisions (${w})`, { perSecond: applied / (elapsed / 1000) });
}

async function withNats<T>(work: (url: string) => Promise<T>): Promise<T> {
  const rig = await servers();
  try {
    return await work(rig.env.NATS_URL);
  } finally {
    await rig.dispose();
  }
}

async function rawPublish() {
  await withNats(async (url) => {
    const bus = await connectBus({ servers: url, name: "bench-raw" });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: CLUSTER ? 3 : 1 }));
    const payload = new TextEncoder().encode(JSON.stringify(workload("mixed", randomUUID(), 9)[0]));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COMMANDS) {
          const i = next++;
          await bus.js.publish(seatCommandSubject(i % PARTITIONS), payload, { msgID: `raw-${i}` });
        }
      }),
    );
    record("ceiling: raw JetStream publish (acked)", { perSecond: COMMANDS / ((performance.now() - started) / 1000) });
    await bus.close();
  });
}

async function noopLoop() {
  await withNats(async (url) => {
    const bus = await connectBus({ servers: url, name: "bench-noop" });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: CLUSTER ? 3 : 1 }));
    const sessionId = randomUUID();
    const actor = await spawnUntil(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("./noop-actor-main.ts", import.meta.url))],
      /ready/,
      20_000,
      { NATS_URL: url, PARTITION: String(partitionOf(sessionId, "HOT", PARTITIONS)) },
    );
    const client = await createSeatCommandClient(bus, { partitions: PARTITIONS });
    const cpu = startCpuMeter({ actor: actor.child.pid });
    const run = await runFlashSale(client, workload("best-available", sessionId, 3), { concurrency: CONCURRENCY, timeoutMs: 30_000 }, async () => null);
    const used = cpu();
    record("ceiling: no-op consume→publish→reply loop", {
      perSecond: COMMANDS / (run.elapsedMs / 1000),
      p50: percentile(run.latenciesMs, 50),
      p99: percentile(run.latenciesMs, 99),
    });
    console.log(`    ${describeCpu(used, { actor: "no-op actor", self: "bench client" })}`);
    await stopProcess(actor);
    await client.close();
    await bus.close();
  });
}

/** A ticket worker process (64 partitions) with its own nats-server and Redis. */
async function engineRig() {
  const rig = await servers();
  const worker = await spawnService("ticket", { ...rig.env, WORKER_ID: "bench", PARTITIONS: String(PARTITIONS), LOG_LEVEL: "warn" });
  const bus = await connectBus({ servers: rig.env.NATS_URL, name: "bench-e2e" });
  const redis = createRedis(rig.env.REDIS_URL, "bench");
  const lookup = seatReplyLookup(redis);
  // As the gate sends holds: its Idempotency-Key records answer replays, so no result-store
  // read before each command (the lookup still serves commands whose reply was missed).
  const client = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup, lookupFirst: false });
  return {
    async run(w: Workload, seed: number) {
      const sessionId = randomUUID();
      await client.send(loadInventory(sessionId, "HOT", gridSeats("HOT", ROWS, PER_ROW)), { timeoutMs: 20_000 });
      const cpu = startCpuMeter({ worker: worker.child.pid });
      const run = await runFlashSale(client, workload(w, sessionId, seed), { concurrency: CONCURRENCY, timeoutMs: 30_000 }, lookup);
      const used = cpu();
      const granted = grantedSeats(run.replies.values()).size;
      record(`seat engine end to end (${w})`, {
        perSecond: COMMANDS / (run.elapsedMs / 1000),
        p50: percentile(run.latenciesMs, 50),
        p99: percentile(run.latenciesMs, 99),
        note: `  ${granted} seats granted, ${run.unanswered.length} unanswered`,
      });
      console.log(`    ${describeCpu(used, { worker: "ticket worker", self: "bench client" })}`);
    },
    async close() {
      await client.close();
      redis.disconnect();
      await bus.close();
      await worker.stop();
      await rig.dispose();
    },
  };
}

/** The same commands as PostgreSQL transactions on a fresh database. */
async function postgresRig() {
  const wasRunning = await isRunning("postgres");
  if (!wasRunning) await infra(["up", "postgres"]);
  const database = await freshDatabase(testPgAdminUrl(), "bench");
  // Two durabilities: the default (every commit waits for its WAL fsync) and commits that return
  // before it, as JetStream's default file store does (it syncs every two minutes; a cluster's
  // replicas give the durability). The first is the baseline the aim is judged against.
  const variants = [
    { name: "", sql: postgres(database.url, { max: PG_CONCURRENCY, onnotice: () => {} }) },
    {
      name: ", synchronous_commit=off",
      sql: postgres(database.url, { max: PG_CONCURRENCY, onnotice: () => {}, connection: { synchronous_commit: "off" } }),
    },
  ];
  return {
    async run(w: Workload, v: number, seed: number) {
      const { name, sql } = variants[v]!;
      const sessionId = randomUUID();
      await createSeatsTable(sql, sessionId, "HOT", ROWS, PER_ROW);
      const commands: SeatCommand[] = workload(w, sessionId, seed);
      const latencies: number[] = [];
      let granted = 0;
      let next = 0;
      const cpu = startCpuMeter({});
      const started = performance.now();
      await Promise.all(
        Array.from({ length: PG_CONCURRENCY }, async () => {
          while (next < commands.length) {
            const command = commands[next++]!;
            const t0 = performance.now();
            if (await pgHold(sql, command)) granted++;
            latencies.push(performance.now() - t0);
          }
        }),
      );
      record(`PostgreSQL row locking (${w}${name})`, {
        perSecond: COMMANDS / ((performance.now() - started) / 1000),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        note: `  ${granted} holds granted, ${PG_CONCURRENCY} connections`,
      });
      console.log(`    ${describeCpu(cpu(), { self: "bench client" })}`);
    },
    async close() {
      for (const { sql } of variants) await sql.end();
      await database.drop();
      if (!wasRunning) await infra(["down", "postgres"]);
    },
  };
}

console.log(
  `seat engine benchmark: ${COMMANDS.toLocaleString()} hold commands on a ${ROWS * PER_ROW}-seat hot area, ${CONCURRENCY} in flight, ${ROUNDS} rounds, ` +
    `${CLUSTER ? "on a 3-node NATS cluster (R3) and a Redis Cluster (CLUSTER=1)" : "on one nats-server and one Redis (R1)"}\n`,
);
await pureDecisions("mixed");
await pureDecisions("best-available");
// This VM's speed drifts by tens of percent within minutes (other tenants), so one engine run
// against one PostgreSQL run measures the host as much as the designs. Each round runs both
// back to back; the ratios are taken within a round and their median is the figure.
// The ceilings run in every round too: the engine's share of them drifts with the host as well.
// Each side's servers live only through its own runs (an idle nats-server still syncs its store
// to the disk PostgreSQL fsyncs to), and the order alternates, so neither side always goes second.
async function engineRound(round: number) {
  await rawPublish();
  await noopLoop();
  const engine = await engineRig();
  try {
    for (const [i, w] of (["mixed", "best-available"] as const).entries()) await engine.run(w, 10 + i + 100 * round);
  } finally {
    await engine.close();
  }
}
async function postgresRound(round: number) {
  const pg = await postgresRig();
  try {
    for (const v of [0, 1]) for (const [i, w] of (["mixed", "best-available"] as const).entries()) await pg.run(w, v, 20 + i + 10 * v + 100 * round);
  } finally {
    await pg.close();
  }
}
for (let round = 0; round < ROUNDS; round++) {
  console.log(`\nround ${round + 1} of ${ROUNDS}${round % 2 === 1 ? " (PostgreSQL first)" : ""}`);
  if (round % 2 === 0) {
    await engineRound(round);
    await postgresRound(round);
  } else {
    await postgresRound(round);
    await engineRound(round);
  }
}

const rates = (name: string) => results.get(name)!.map((f) => f.perSecond);
/** The median over rounds of a ÷ b, each round's a against the same round's b; and the range. */
const ratio = (a: string, b: string, unit = "") => {
  const each = rates(a).map((x, i) => x / rates(b)[i]!);
  return `${median(each).toFixed(2)}${unit}  (rounds ${each.map((r) => r.toFixed(2)).join(", ")})`;
};
const ENGINE = "seat engine end to end";
const PG = "PostgreSQL row locking";
console.log("\nmedians over rounds");
for (const name of results.keys()) console.log(`  ${name.padEnd(60)} ${fmt(median(rates(name))).padStart(10)}/s`);
console.log("\nratios (median of the rounds)");
console.log(`  engine ÷ PostgreSQL, hot-area best-available: ${ratio(`${ENGINE} (best-available)`, `${PG} (best-available)`, "×")}  aim ≥ 3`);
console.log(`  engine ÷ PostgreSQL, mixed:                   ${ratio(`${ENGINE} (mixed)`, `${PG} (mixed)`, "×")}`);
console.log(`  engine ÷ PostgreSQL without commit fsync, hot-area best-available: ${ratio(`${ENGINE} (best-available)`, `${PG} (best-available, synchronous_commit=off)`, "×")}`);
console.log(`  engine ÷ no-op ceiling (best-available):      ${ratio(`${ENGINE} (best-available)`, "ceiling: no-op consume→publish→reply loop")}  aim ≥ 0.60`);
console.log(`  no-op loop ÷ raw publish:                     ${ratio("ceiling: no-op consume→publish→reply loop", "ceiling: raw JetStream publish (acked)")}`);
process.exit(0);

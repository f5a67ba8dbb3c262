/**
 * `pnpm bench notify`: live seat-map delivery. BENCH_CLIENTS socket.io clients (default 2,000)
 * watch one session while a stream of holds runs (BENCH_HOLDS at BENCH_RATE per second, one seat
 * each); the latency of every seat change is measured from the moment the actor's event is on
 * the bus (its timestamp in SEAT_EVENTS) to the moment each client has it.
 * Starts its own nats-server, redis-server, test PostgreSQL database, a ticket worker and
 * BENCH_INSTANCES notification processes on loopback; bounded in count and time.
 */
import { randomUUID } from "node:crypto";
import { connectBus, createSeatCommandClient, decode, ensureTopology, loadTopology } from "@rush/bus";
import { ACCESS_TOKEN, SOCKET_PATH, STREAMS, SeatEvent, type SeatsUpdate } from "@rush/contracts";
import { runMigrations } from "@rush/db";
import { type ServiceProcess, freshDatabase, infra, isRunning, spawnService, startNats, startRedis, testPgAdminUrl } from "@rush/testkit";
import { createSigner } from "fast-jwt";
import { type Socket, io } from "socket.io-client";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2000);
const HOLDS = Number(process.env.BENCH_HOLDS ?? 600);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
const COALESCE_MS = process.env.BENCH_COALESCE_MS ?? "100";
const PARTITIONS = 8;
const SECRET = "rush-bench-jwt-secret-0123456789";
const ROWS = 40;
const PER_ROW = 50;

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!(await isRunning("postgres"))) await infra(["up", "postgres"]);
const [nats, redisServer, database] = await Promise.all([startNats(), startRedis(), freshDatabase(testPgAdminUrl(), "benchnotify")]);
const processes: ServiceProcess[] = [];
const sockets: Socket[] = [];
try {
  await runMigrations(database.url);
  const env = { NATS_URL: nats.url, REDIS_URL: redisServer.url, DATABASE_URL: database.url, PARTITIONS: String(PARTITIONS), LOG_LEVEL: "warn" };
  const bus = await connectBus({ servers: nats.url, name: "bench-notify" });
  await ensureTopology(bus, await loadTopology());
  processes.push(await spawnService("ticket", { ...env, WORKER_ID: "w1" }));
  for (let i = 0; i < INSTANCES; i++) processes.push(await spawnService("notification", { ...env, JWT_SECRET: SECRET, COALESCE_MS }));
  const notifiers = processes.slice(1);
  const seats = await createSeatCommandClient(bus, { partitions: PARTITIONS });
  const sessionId = randomUUID();
  const seatList = [];
  for (let r = 1; r <= ROWS; r++) for (let n = 1; n <= PER_ROW; n++) seatList.push({ id: `A-${r}-${n}`, row: String(r), number: n });
  await seats.send(
    {
      type: "LoadInventory", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), seats: seatList,
      config: { holdTtlMs: 600_000, maxSeatsPerHold: 8, maxSeatsPerBuyer: 100_000, maxHoldExtensionMs: 0 },
    },
    { timeoutMs: 30_000 },
  );

  const sign = createSigner({ key: SECRET, algorithm: "HS256", iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, expiresIn: 3_600_000 });
  // Receipts: which seat, when (epoch ms, sub-millisecond). Latencies are computed at the end
  // from the stream's own timestamps, so this process's busy event loop cannot skew the start.
  const seatIndex = new Map(seatList.map((seat, i) => [seat.id, i]));
  const receivedSeat = new Uint32Array(CLIENTS * HOLDS);
  const receivedAt = new Float64Array(CLIENTS * HOLDS);
  const epochNow = () => performance.timeOrigin + performance.now();
  let samples = 0;
  let deltas = 0;
  const seen = new Uint32Array(CLIENTS);
  const connectStarted = performance.now();
  for (let batch = 0; batch < CLIENTS; batch += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, CLIENTS - batch) }, async (_, j) => {
        const index = batch + j;
        const socket = io(notifiers[index % notifiers.length]!.url, {
          path: SOCKET_PATH, auth: { token: sign({ sub: randomUUID(), email: "b@example.com", roles: ["customer"] }) },
          transports: ["websocket"], reconnection: false, forceNew: true,
        });
        sockets.push(socket);
        socket.on("seats", (update: SeatsUpdate) => {
          const now = epochNow();
          deltas++;
          for (const change of update.changes) {
            if (change.status !== "held" || samples >= receivedAt.length) continue;
            receivedSeat[samples] = seatIndex.get(change.id) ?? 0;
            receivedAt[samples++] = now;
            seen[index]!++;
          }
        });
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", reject);
        });
        await socket.emitWithAck("subscribe", { sessionId });
      }),
    );
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  console.log(`${CLIENTS} clients connected and subscribed in ${fmt(connectSeconds)} s (${INSTANCES} notification instance(s))`);

  const started = performance.now();
  const gap = 1000 / RATE;
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < HOLDS; i++) {
    const seatId = seatList[i]!.id;
    inFlight.push(
      seats.send(
        { type: "HoldSeats", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: `bench-${i}`, seatIds: [seatId] },
        { timeoutMs: 10_000 },
      ),
    );
    const due = started + (i + 1) * gap;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(inFlight);
  const holdSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 15_000;
  while (samples < CLIENTS * HOLDS && performance.now() < deadline) await sleep(100);

  // When each SeatsHeld was stored in SEAT_EVENTS (the server's clock: the same machine's).
  const eventAt = new Float64Array(seatList.length);
  const ordered = await bus.js.consumers.get(STREAMS.seatEvents);
  const stored = await ordered.consume();
  let found = 0;
  for await (const msg of stored) {
    const decoded = decode(SeatEvent, msg.data);
    if (decoded.ok && decoded.value.type === "SeatsHeld" && decoded.value.sessionId === sessionId) {
      for (const id of decoded.value.seatIds) eventAt[seatIndex.get(id) ?? 0] = msg.info.timestampNanos / 1e6;
      if (++found >= HOLDS) break;
    }
    if (msg.info.pending === 0) break;
  }
  await stored.close();
  const latencies = new Float64Array(samples);
  for (let i = 0; i < samples; i++) latencies[i] = receivedAt[i]! - eventAt[receivedSeat[i]!]!;
  const sorted = latencies.sort();
  const complete = seen.filter((n) => n >= HOLDS).length;
  console.log(`holds: ${HOLDS} at ${fmt(HOLDS / holdSeconds)}/s over ${fmt(holdSeconds)} s`);
  console.log(`deliveries: ${samples.toLocaleString("en-US")} of ${(CLIENTS * HOLDS).toLocaleString("en-US")} (clients with every change: ${complete}/${CLIENTS})`);
  console.log(`deltas received: ${deltas.toLocaleString("en-US")} (${fmt(deltas / CLIENTS)} per client for ${HOLDS} changes: ${fmt(HOLDS / Math.max(1, deltas / CLIENTS))} changes per delta)`);
  console.log(`latency event → client: p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted.at(-1) ?? Number.NaN)} ms`);
  console.log(
    `\nmarkdown:\n| clients | instances | holds/s | coalesce ms | deliveries | changes/delta | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|\n` +
      `| ${CLIENTS} | ${INSTANCES} | ${fmt(HOLDS / holdSeconds, 0)} | ${COALESCE_MS} | ${samples}/${CLIENTS * HOLDS} | ${fmt(HOLDS / Math.max(1, deltas / CLIENTS))} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 99))} | ${fmt(sorted.at(-1) ?? Number.NaN)} |`,
  );
  await seats.close();
  await bus.close();
} finally {
  for (const socket of sockets) socket.close();
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all([nats.dispose(), redisServer.dispose()]);
  await database.drop();
}

import { randomUUID } from "node:crypto";
import { type Bus, connectBus, createSeatCommandClient, ensureTopology, loadTopology, publish, type SeatCommandClient } from "@rush/bus";
import { ACCESS_TOKEN, OrderEvent, SOCKET_PATH, type SeatsUpdate, WaitlistStreamEvent, orderIdForHold, orderSubject, seatEventSubject } from "@rush/contracts";
import { type Db, createDb, events, runMigrations, sessions, users, venues } from "@rush/db";
import { connectRedisSubscriber, createLogger, createMetrics, createRedis } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { createSigner } from "fast-jwt";
import type { Redis } from "ioredis";
import { type Socket, io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NotificationService, buildNotificationService } from "./app.ts";
import { NotificationConfig } from "./config.ts";
import { waitingRoomKeys } from "./queue-positions.ts";

const SECRET = "rush-test-jwt-secret-0123456789";
const PARTITIONS = 8;
const token = (sub: string) =>
  createSigner({ key: SECRET, algorithm: "HS256", iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, expiresIn: 600_000 })({
    sub,
    email: `${sub}@example.com`,
    roles: ["customer"],
  });

describe("notification service", () => {
  let database: TestDatabase;
  let nats: NatsServer;
  let redisServer: RedisServer;
  let bus: Bus;
  let redis: Redis;
  let db: Db;
  let seats: SeatCommandClient;
  let worker: ServiceProcess;
  const instances: { service: NotificationService; url: string; close(): Promise<void> }[] = [];
  const sockets: Socket[] = [];
  const sessionId = randomUUID();

  async function startInstance(env: Record<string, string> = {}) {
    const config = NotificationConfig.parse({ JWT_SECRET: SECRET, NODE_ENV: "test", COALESCE_MS: "100", QUEUE_TICK_MS: "100", ...env });
    const [own, pub] = [createRedis(redisServer.url, "n"), createRedis(redisServer.url, "n-pub", undefined, { maxRetriesPerRequest: null })];
    const sub = await connectRedisSubscriber(redisServer.url, "n-sub");
    const instanceBus = await connectBus({ servers: nats.url, name: "notification-test" });
    const service = await buildNotificationService({
      config, bus: instanceBus, db, redis: own, pub, sub, logger: createLogger("notification-test", "silent"), metrics: createMetrics("n"),
    });
    await service.start();
    await service.app.listen({ host: "127.0.0.1", port: 0 });
    const address = service.app.server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const instance = {
      service,
      url,
      async close() {
        await service.stop();
        await service.app.close();
        await instanceBus.close();
        for (const client of [own, pub, sub]) client.disconnect();
      },
    };
    instances.push(instance);
    return instance;
  }

  /** A session row (the socket server subscribes only to sessions that exist). */
  async function insertSession(id: string = randomUUID(), waitingRoom: { enabled: boolean; admitPerSecond: number } | null = null) {
    const [organizer] = await db.db.insert(users).values({ email: `o-${randomUUID()}@x.io`, passwordHash: "x", displayName: "O" }).returning();
    const [venue] = await db.db.insert(venues).values({ ownerId: organizer!.id, name: "V", address: "X", seatMap: { areas: [] }, capacity: 1 }).returning();
    const [event] = await db.db.insert(events).values({ venueId: venue!.id, organizerId: organizer!.id, name: "E", category: "music" }).returning();
    const now = Date.now();
    await db.db.insert(sessions).values({
      id, eventId: event!.id, startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 90_000_000),
      saleStartsAt: new Date(now - 10_000), saleEndsAt: new Date(now + 3_600_000), waitingRoom,
    });
    return id;
  }

  async function connect(url: string, userId: string) {
    const socket = io(url, { path: SOCKET_PATH, auth: { token: token(userId) }, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  }

  const holdSeat = (seatId: string) =>
    seats.send(
      { type: "HoldSeats", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: "b", seatIds: [seatId] },
      { timeoutMs: 5000 },
    );

  beforeAll(async () => {
    database = await testDatabase("notification");
    [nats, redisServer] = await Promise.all([startNats(), startRedis(), runMigrations(database.url)]);
    bus = await connectBus({ servers: nats.url, name: "notification-test-client" });
    await ensureTopology(bus, await loadTopology());
    redis = createRedis(redisServer.url, "notification-test-client");
    db = createDb(database.url, { max: 2 });
    worker = await spawnService("ticket", { NATS_URL: nats.url, REDIS_URL: redisServer.url, PARTITIONS: String(PARTITIONS), WORKER_ID: "w1", LOG_LEVEL: "warn" });
    seats = await createSeatCommandClient(bus, { partitions: PARTITIONS });
    const seatList = Array.from({ length: 40 }, (_, i) => ({ id: `A-1-${i + 1}`, row: "1", number: i + 1 }));
    await seats.send(
      {
        type: "LoadInventory", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), seats: seatList,
        config: { holdTtlMs: 600_000, maxSeatsPerHold: 8, maxSeatsPerBuyer: 100, maxHoldExtensionMs: 0 },
      },
      { timeoutMs: 15_000 },
    );
    await insertSession(sessionId);
    await startInstance();
    await startInstance();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const instance of instances) await instance.close();
    await worker?.stop();
    await seats?.close();
    await bus?.close();
    redis?.disconnect();
    await db?.close();
    await Promise.all([nats?.dispose(), redisServer?.dispose()]);
    await database?.drop();
  });

  it("live: a burst of seat changes is coalesced, numbered one by one, and reaches clients of both instances alike", async () => {
    const [a, b] = [await connect(instances[0]!.url, randomUUID()), await connect(instances[1]!.url, randomUUID())];
    const received: SeatsUpdate[][] = [[], []];
    a.on("seats", (u: SeatsUpdate) => received[0]!.push(u));
    b.on("seats", (u: SeatsUpdate) => received[1]!.push(u));
    const acks = await Promise.all([a.emitWithAck("subscribe", { sessionId }), b.emitWithAck("subscribe", { sessionId })]);
    expect(acks[0]).toMatchObject({ ok: true, sessionId });

    await Promise.all(Array.from({ length: 30 }, (_, i) => holdSeat(`A-1-${i + 1}`)));
    const heldSeen = (updates: SeatsUpdate[]) => new Set(updates.flatMap((u) => u.changes.filter((c) => c.status === "held").map((c) => c.id))).size;
    await expect.poll(() => received.map(heldSeen), { timeout: 5000 }).toEqual([30, 30]);
    await new Promise((r) => setTimeout(r, 300));
    expect(received[0]!.length).toBeLessThan(30);
    expect(received[0]).toEqual(received[1]);
    const seqs = received[0]!.map((u) => u.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const versions = received[0]!.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
  });

  it("live: a buyer sees their own order updates, and only theirs", async () => {
    const [mine, theirs] = [await connect(instances[1]!.url, "11111111-1111-4111-8111-111111111111"), await connect(instances[0]!.url, randomUUID())];
    const got: unknown[] = [];
    const leaked: unknown[] = [];
    mine.on("order", (u) => got.push(u));
    theirs.on("order", (u) => leaked.push(u));
    const orderId = randomUUID();
    await publish(bus, orderSubject("completed", orderId), OrderEvent, {
      type: "OrderStatusChanged", orderId, holdId: randomUUID(), buyerId: "11111111-1111-4111-8111-111111111111", sessionId,
      status: "completed", previous: "payment_pending", total: { amount: "10.00", currency: "EUR" }, at: Date.now(),
    });
    await expect.poll(() => got, { timeout: 5000 }).toEqual([expect.objectContaining({ orderId, status: "completed" })]);
    expect(leaked).toEqual([]);
  });

  it("live: a waiting-list offer reaches the buyer's sockets on whichever instance holds them, and only theirs", async () => {
    const buyerId = randomUUID();
    const [mine, theirs] = [await connect(instances[0]!.url, buyerId), await connect(instances[1]!.url, randomUUID())];
    const got: unknown[] = [];
    const leaked: unknown[] = [];
    mine.on("waitlist", (u) => got.push(u));
    theirs.on("waitlist", (u) => leaked.push(u));
    const holdId = randomUUID();
    const expiresAt = Date.now() + 60_000;
    const common = { commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), entryId: randomUUID(), buyerId };
    // A join on the same subjects concerns no socket; the offer goes to the buyer's room.
    await publish(bus, seatEventSubject("waitlist", 3), WaitlistStreamEvent, { ...common, type: "WaitlistJoined", quantity: 2, seq: 1, position: 1, offerTtlMs: 60_000 });
    await publish(bus, seatEventSubject("waitlist", 3), WaitlistStreamEvent, { ...common, type: "WaitlistOffered", holdId, seatIds: ["A-1-39", "A-1-40"], expiresAt });
    await expect.poll(() => got, { timeout: 5000 }).toEqual([
      { sessionId, areaId: "A", status: "offered", holdId, orderId: orderIdForHold(holdId), seatIds: ["A-1-39", "A-1-40"], expiresAt: new Date(expiresAt).toISOString() },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toHaveLength(1);
    expect(leaked).toEqual([]);
  });

  it("live: waiting-room positions come from the gate's room and move as it admits", async () => {
    const now = Date.now();
    const roomId = await insertSession(randomUUID(), { enabled: true, admitPerSecond: 4 });
    // The gate's room: ten people, the cursor at 0 as of now; our user is 7th.
    const keys = waitingRoomKeys(roomId);
    const pipeline = redis.pipeline();
    const waiting = randomUUID();
    for (let i = 0; i < 10; i++) pipeline.zadd(keys.queue, 2 ** 48 + i, i === 6 ? waiting : `other-${i}`);
    await pipeline.hset(keys.admission, "cursor", "0", "last", String(now)).exec();

    const socket = await connect(instances[0]!.url, waiting);
    const updates: { position: number; admitted: boolean }[] = [];
    socket.on("queue", (u) => updates.push(u));
    await socket.emitWithAck("subscribe", { sessionId: roomId });
    await expect.poll(() => updates.at(-1), { timeout: 5000 }).toMatchObject({ admitted: true, position: 0 });
    const positions = updates.filter((u) => !u.admitted).map((u) => u.position);
    expect(positions[0]).toBeGreaterThan(1);
    expect(positions).toEqual([...positions].sort((x, y) => y - x));
  });

  it("live: a bad subscribe is answered, not crashed on", async () => {
    const socket = await connect(instances[0]!.url, randomUUID());
    expect(await socket.emitWithAck("subscribe", { sessionId: "nope" })).toMatchObject({ ok: false });
  });

  describe("socket limits", () => {
    let url: string;
    let service: NotificationService;
    beforeAll(async () => {
      const limited = await startInstance({ SOCKET_MAX_SUBSCRIPTIONS: "3", SOCKET_MESSAGES_PER_SECOND: "1", SOCKET_MESSAGE_BURST: "12", SESSION_CACHE_MAX: "4" });
      ({ url, service } = limited);
    });

    it("sockets: a made-up session id is refused, and made-up ids do not grow the session cache past its bound", async () => {
      const socket = await connect(url, randomUUID());
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await socket.emitWithAck("subscribe", { sessionId: randomUUID() }));
      expect(answers).toEqual(Array(8).fill({ ok: false, error: "no such session" }));
      expect(service.sessions.size).toBeLessThanOrEqual(4);
      socket.close();
    });

    it("sockets: subscriptions per socket are capped; unsubscribing frees a slot", async () => {
      const ids = await Promise.all(Array.from({ length: 4 }, () => insertSession()));
      const socket = await connect(url, randomUUID());
      const acks = [];
      for (const id of ids) acks.push(await socket.emitWithAck("subscribe", { sessionId: id }));
      expect(acks.map((a) => a.ok)).toEqual([true, true, true, false]);
      expect(acks[3].error).toMatch(/at most 3 subscriptions/);
      // Subscribing again to one it watches is fine.
      expect(await socket.emitWithAck("subscribe", { sessionId: ids[0] })).toMatchObject({ ok: true });
      socket.emit("unsubscribe", { sessionId: ids[0] });
      expect(await socket.emitWithAck("subscribe", { sessionId: ids[3] })).toMatchObject({ ok: true, sessionId: ids[3] });
      socket.close();
    });

    it("sockets: messages past the budget are refused, and a socket that keeps pushing is disconnected", async () => {
      const socket = await connect(url, randomUUID());
      const disconnected = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
      const answers = await Promise.all(Array.from({ length: 20 }, () => socket.timeout(2000).emitWithAck("subscribe", { sessionId }).catch(() => null)));
      expect(answers.filter((a) => a?.ok === true).length).toBeLessThanOrEqual(13);
      expect(answers).toContainEqual({ ok: false, error: "rate limited: slow down" });
      for (let i = 0; i < 80; i++) socket.emit("subscribe", { sessionId });
      expect(await disconnected).toBe("io server disconnect");
    });
  });
});

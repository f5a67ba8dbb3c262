import { randomUUID } from "node:crypto";
import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { ACCESS_TOKEN, type Role, type SeatDefinition } from "@rush/contracts";
import { type Db, createDb, events, priceCategories, runMigrations, sessions, users, venues } from "@rush/db";
import { createLogger, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { createSigner } from "fast-jwt";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { buildApp } from "./app.ts";
import { createGateRedis } from "./gate-redis.ts";
import type { Clock } from "./clock.ts";
import { GateConfig } from "./config.ts";

/**
 * The real stack for the gate's integration tests and bench: a private nats-server and
 * redis-server, a fresh database, ticket worker processes, and a seat command client. The gate
 * itself is built in-process (`gateApp`) or spawned (`spawnGate`).
 */
export const TEST_JWT_SECRET = "rush-test-jwt-secret-0123456789";
export const TEST_PARTITIONS = 8;

export interface Stack {
  nats: NatsServer;
  redisServer: RedisServer;
  bus: Bus;
  redis: Redis;
  db: Db;
  seats: SeatCommandClient;
  tickets: ServiceProcess[];
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startStack(database: TestDatabase, options: { workers?: number } = {}): Promise<Stack> {
  const [nats, redisServer] = await Promise.all([startNats(), startRedis(), runMigrations(database.url)]);
  const bus = await connectBus({ servers: nats.url, name: "gate-test" });
  await ensureTopology(bus, await loadTopology(undefined, { replicas: nats.replicas }));
  // Made as main.ts makes it, so every gate test runs over its coalesced writes.
  const redis = createGateRedis(redisServer.url, "gate-test");
  redis.on("error", () => {}); // tests stop Redis on purpose; commands fail and say so
  const db = createDb(database.url, { max: 4 });
  const env = {
    NATS_URL: nats.url,
    NATS_REPLICAS: String(nats.replicas),
    REDIS_URL: redisServer.url,
    DATABASE_URL: database.url,
    PARTITIONS: String(TEST_PARTITIONS),
    LOG_LEVEL: "warn",
  };
  const tickets = await Promise.all(
    Array.from({ length: options.workers ?? 1 }, (_, i) => spawnService("ticket", { ...env, WORKER_ID: `w${i + 1}`, LEASE_RENEW_MS: "300" })),
  );
  const seats = await createSeatCommandClient(bus, {
    partitions: TEST_PARTITIONS,
    lookup: seatReplyLookup(redis),
  });
  return {
    nats,
    redisServer,
    bus,
    redis,
    db,
    seats,
    tickets,
    env,
    async close() {
      await Promise.all(tickets.map((t) => t.stop()));
      await seats.close();
      await bus.close();
      redis.disconnect();
      await db.close();
      await Promise.all([nats.dispose(), redisServer.dispose()]);
    },
  };
}

/**
 * Gate settings for tests: the test secret, small partitions, limits out of the way unless a test
 * sets them, and every seat-map read fresh (the sale-time re-read window has its own test).
 */
export function testGateConfig(stack: Stack, overrides: Record<string, string> = {}): GateConfig {
  return GateConfig.parse({
    ...stack.env,
    JWT_SECRET: TEST_JWT_SECRET,
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    CATALOG_URL: "http://127.0.0.1:9",
    BOT_CHALLENGE_SCORE: "101",
    RATE_LIMIT_ENABLED: "false",
    SEAT_MAP_REFRESH_MS: "0",
    ...overrides,
  });
}

export async function gateApp(stack: Stack, overrides: Record<string, string> = {}, clock?: Clock): Promise<FastifyInstance> {
  const config = testGateConfig(stack, overrides);
  const app = await buildApp({
    config,
    bus: stack.bus,
    redis: stack.redis,
    db: stack.db,
    seats: stack.seats,
    logger: createLogger("gate-test", "silent"),
    ...(clock ? { clock } : {}),
  });
  await app.ready();
  return app;
}

export function spawnGate(stack: Stack, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return spawnService("gate", {
    ...stack.env,
    JWT_SECRET: TEST_JWT_SECRET,
    CATALOG_URL: "http://127.0.0.1:9",
    BOT_CHALLENGE_SCORE: "101",
    RATE_LIMIT_ENABLED: "false",
    ...env,
  });
}

export interface AreaSpec {
  id: string;
  rows: number;
  perRow: number;
  price?: string;
}

export interface SessionSpec {
  areas: AreaSpec[];
  saleStartsAt?: Date;
  saleEndsAt?: Date;
  status?: "draft" | "publishing" | "on_sale" | "closed";
  waitingRoom?: { enabled: boolean; admitPerSecond: number; shuffle?: boolean } | null;
  maxSeatsPerHold?: number;
  maxSeatsPerBuyer?: number;
  holdTtlSeconds?: number;
}

export function gridSeats(areaId: string, rows: number, perRow: number): SeatDefinition[] {
  const seats: SeatDefinition[] = [];
  for (let r = 1; r <= rows; r++) for (let n = 1; n <= perRow; n++) seats.push({ id: `${areaId}-${r}-${n}`, row: String(r), number: n });
  return seats;
}

/** Inserts an organizer, venue, event, session and prices as the catalog would, then loads the areas into the seat engine. */
export async function seedSession(stack: Stack, spec: SessionSpec): Promise<string> {
  const now = Date.now();
  const { db } = stack.db;
  const [organizer] = await db
    .insert(users)
    .values({ email: `org-${randomUUID()}@example.com`, passwordHash: "x", displayName: "Organizer", roles: ["organizer"] })
    .returning();
  const capacity = spec.areas.reduce((n, a) => n + a.rows * a.perRow, 0);
  const [venue] = await db
    .insert(venues)
    .values({
      ownerId: organizer!.id,
      name: "Hall",
      address: "1 Main St",
      seatMap: { areas: spec.areas.map((a) => ({ id: a.id, name: a.id, rowCount: a.rows, seatsPerRow: a.perRow })) },
      capacity,
    })
    .returning();
  const [event] = await db.insert(events).values({ venueId: venue!.id, organizerId: organizer!.id, name: "Show", category: "music" }).returning();
  const [session] = await db
    .insert(sessions)
    .values({
      eventId: event!.id,
      startsAt: new Date(now + 86_400_000),
      endsAt: new Date(now + 90_000_000),
      saleStartsAt: spec.saleStartsAt ?? new Date(now - 60_000),
      saleEndsAt: spec.saleEndsAt ?? new Date(now + 3_600_000),
      holdTtlSeconds: spec.holdTtlSeconds ?? 600,
      maxSeatsPerHold: spec.maxSeatsPerHold ?? 8,
      maxSeatsPerBuyer: spec.maxSeatsPerBuyer ?? 20,
      waitingRoom: spec.waitingRoom ?? null,
      status: spec.status ?? "on_sale",
      publishedAt: new Date(now),
    })
    .returning();
  const sessionId = session!.id;
  for (const area of spec.areas) {
    await db.insert(priceCategories).values({ sessionId, name: `Cat ${area.id}`, areaIds: [area.id], amount: area.price ?? "45.00", currency: "EUR" });
    const outcome = await stack.seats.send(
      {
        type: "LoadInventory",
        commandId: `load:${sessionId}:${area.id}`,
        sessionId,
        areaId: area.id,
        now,
        seats: gridSeats(area.id, area.rows, area.perRow),
        config: {
          holdTtlMs: (spec.holdTtlSeconds ?? 600) * 1000,
          maxSeatsPerHold: spec.maxSeatsPerHold ?? 8,
          maxSeatsPerBuyer: spec.maxSeatsPerBuyer ?? 20,
          maxHoldExtensionMs: 600_000,
        },
      },
      { timeoutMs: 15_000 },
    );
    if (outcome.status !== "done") throw new Error(`inventory of ${area.id} not loaded in time`);
  }
  return sessionId;
}

/** A signed access token as the catalog issues it (HS256, iss/aud/exp of ACCESS_TOKEN). */
export function accessToken(
  sub: string = randomUUID(),
  options: { roles?: Role[]; secret?: string; expiresInMs?: number; iss?: string; aud?: string } = {},
): string {
  const sign = createSigner({
    key: options.secret ?? TEST_JWT_SECRET,
    algorithm: "HS256",
    iss: options.iss ?? ACCESS_TOKEN.issuer,
    aud: options.aud ?? ACCESS_TOKEN.audience,
    expiresIn: options.expiresInMs ?? ACCESS_TOKEN.ttlSeconds * 1000,
  });
  return sign({ sub, email: `${sub}@example.com`, roles: options.roles ?? ["customer"] });
}

/** What a browser sends: enough for the bot score to stay low. */
export function browserHeaders(token?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    accept: "application/json",
    "accept-language": "en-GB,en;q=0.9",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  };
}

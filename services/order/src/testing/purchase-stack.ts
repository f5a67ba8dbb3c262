import { randomUUID } from "node:crypto";
import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { ACCESS_TOKEN, type Role, type SeatAreaConfig } from "@rush/contracts";
import { type Db, createDb, events, priceCategories, runMigrations, sessions, users, venues } from "@rush/db";
import { createRedis, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { createSigner } from "fast-jwt";
import type { Redis } from "ioredis";

/**
 * The real servers behind a purchase, for issue 6's integration and end-to-end tests: a private
 * nats-server and redis-server, a fresh database, a ticket worker process, a seat command client,
 * and helpers to seed users and sessions as the catalog would.
 */
export const TEST_JWT_SECRET = "rush-test-jwt-secret-0123456789";
export const TEST_PARTITIONS = 8;

export interface PurchaseStack {
  nats: NatsServer;
  redisServer: RedisServer;
  bus: Bus;
  redis: Redis;
  db: Db;
  seats: SeatCommandClient;
  /** Environment every service process of the stack shares. */
  env: Record<string, string>;
  spawn(name: string, env?: Record<string, string>): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function startPurchaseStack(database: TestDatabase): Promise<PurchaseStack> {
  const [nats, redisServer] = await Promise.all([startNats(), startRedis(), runMigrations(database.url)]);
  const bus = await connectBus({ servers: nats.url, name: "purchase-test" });
  await ensureTopology(bus, await loadTopology(undefined, { replicas: nats.replicas }));
  const redis = createRedis(redisServer.url, "purchase-test");
  const db = createDb(database.url, { max: 4 });
  const env = {
    NATS_URL: nats.url,
    NATS_REPLICAS: String(nats.replicas),
    REDIS_URL: redisServer.url,
    DATABASE_URL: database.url,
    PARTITIONS: String(TEST_PARTITIONS),
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: "warn",
  };
  const processes: ServiceProcess[] = [];
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
    env,
    async spawn(name, extra = {}) {
      const process = await spawnService(name, { ...env, ...extra });
      processes.push(process);
      return process;
    },
    async close() {
      await Promise.all(processes.map((p) => p.stop()));
      await seats.close();
      await bus.close();
      redis.disconnect();
      await db.close();
      await Promise.all([nats.dispose(), redisServer.dispose()]);
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** A user row (orders and tickets reference users) and an access token as identity signs it. */
export async function seedUser(stack: PurchaseStack, roles: Role[] = ["customer"]): Promise<TestUser> {
  const email = `u-${randomUUID()}@example.com`;
  const [user] = await stack.db.db.insert(users).values({ email, passwordHash: "x", displayName: "Test", roles }).returning();
  return { id: user!.id, email, token: accessToken(user!.id, roles, email) };
}

export function accessToken(sub: string, roles: Role[] = ["customer"], email = `${sub}@example.com`): string {
  const sign = createSigner({
    key: TEST_JWT_SECRET,
    algorithm: "HS256",
    iss: ACCESS_TOKEN.issuer,
    aud: ACCESS_TOKEN.audience,
    expiresIn: ACCESS_TOKEN.ttlSeconds * 1000,
  });
  return sign({ sub, email, roles });
}

/** An organizer with a venue and an event, as the catalog would create them: a session's parents. */
export async function seedEvent(stack: PurchaseStack): Promise<{ organizerId: string; eventId: string }> {
  const { db } = stack.db;
  const [organizer] = await db.insert(users).values({ email: `org-${randomUUID()}@example.com`, passwordHash: "x", displayName: "O", roles: ["organizer"] }).returning();
  const [venue] = await db.insert(venues).values({ ownerId: organizer!.id, name: "Hall", address: "1 Main St", seatMap: { areas: [] }, capacity: 10 }).returning();
  const [event] = await db.insert(events).values({ venueId: venue!.id, organizerId: organizer!.id, name: "Show", category: "music" }).returning();
  return { organizerId: organizer!.id, eventId: event!.id };
}

/** A session of one area `A` (`rows` × `perRow`, price 45.00 EUR), on sale in the seat engine. */
export async function seedSession(
  stack: Pick<PurchaseStack, "db" | "seats">,
  spec: { rows: number; perRow: number; price?: string; config?: Partial<SeatAreaConfig> },
): Promise<string> {
  const now = Date.now();
  const { db } = stack.db;
  const [organizer] = await db
    .insert(users)
    .values({ email: `org-${randomUUID()}@example.com`, passwordHash: "x", displayName: "Organizer", roles: ["organizer"] })
    .returning();
  const [venue] = await db
    .insert(venues)
    .values({ ownerId: organizer!.id, name: "Hall", address: "1 Main St", seatMap: { areas: [] }, capacity: spec.rows * spec.perRow })
    .returning();
  const [event] = await db.insert(events).values({ venueId: venue!.id, organizerId: organizer!.id, name: "Show", category: "music" }).returning();
  const [session] = await db
    .insert(sessions)
    .values({
      eventId: event!.id,
      startsAt: new Date(now + 86_400_000),
      endsAt: new Date(now + 90_000_000),
      saleStartsAt: new Date(now - 60_000),
      saleEndsAt: new Date(now + 3_600_000),
      status: "on_sale",
      publishedAt: new Date(now),
    })
    .returning();
  const sessionId = session!.id;
  await db.insert(priceCategories).values({ sessionId, name: "Cat A", areaIds: ["A"], amount: spec.price ?? "45.00", currency: "EUR" });
  const seats = [];
  for (let r = 1; r <= spec.rows; r++) for (let n = 1; n <= spec.perRow; n++) seats.push({ id: `A-${r}-${n}`, row: String(r), number: n });
  const outcome = await stack.seats.send(
    {
      type: "LoadInventory",
      commandId: `load:${sessionId}:A`,
      sessionId,
      areaId: "A",
      now,
      seats,
      config: { holdTtlMs: 600_000, maxSeatsPerHold: 8, maxSeatsPerBuyer: 20, maxHoldExtensionMs: 600_000, ...spec.config },
    },
    { timeoutMs: 15_000 },
  );
  if (outcome.status !== "done") throw new Error("inventory not loaded in time");
  return sessionId;
}

/** Holds seats as the gate does (the gate's own HTTP route is tested with the gate). */
export async function hold(stack: PurchaseStack, sessionId: string, buyerId: string, seatIds: string[]) {
  const holdId = randomUUID();
  const outcome = await stack.seats.send(
    { type: "HoldSeats", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId, buyerId, seatIds },
    { timeoutMs: 5_000 },
  );
  const event = outcome.status === "done" ? outcome.reply.events[0] : undefined;
  return { holdId, event };
}

import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import type { TokenPair } from "@rush/contracts";
import { type Db, createDb, runMigrations } from "@rush/db";
import { createLogger, createMetrics, createRedis, natsCheck, postgresCheck, redisCheck, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, type TestDatabase, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { Redis } from "ioredis";
import { buildApp } from "../app.ts";
import { accountMailOnBus } from "../identity/account-mail.ts";
import { type CatalogConfig, DEV_ADMIN, loadCatalogConfig } from "../config.ts";
import { type PasswordHasher, createPasswordHasher } from "../identity/password-hasher.ts";
import { seedAdmin } from "../identity/seed-admin.ts";

/** The catalog app on real servers of its own (private NATS and Redis, a fresh database), for one test file. */
export interface CatalogStack {
  readonly app: FastifyInstance;
  readonly config: CatalogConfig;
  readonly db: Db;
  readonly redis: Redis;
  readonly bus: Bus;
  readonly nats: NatsServer;
  readonly redisServer: RedisServer;
  readonly database: TestDatabase;
  readonly seatCommands: SeatCommandClient;
  readonly hasher: PasswordHasher;
  /** `app.inject` with an optional bearer token. */
  call(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  login(email: string, password: string, ip?: string): Promise<TokenPair>;
  /** Registers `email` and, with `roles`, has the admin grant them; returns a fresh token pair. */
  user(email: string, roles?: ("organizer" | "staff")[]): Promise<TokenPair & { id: string }>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = "correct horse battery";

/** `clock`: the service's time (e.g. moved ahead to reach the next one-time-code step). */
export async function startCatalogStack(env: Record<string, string> = {}, options: { clock?: () => number } = {}): Promise<CatalogStack> {
  const [nats, redisServer, database] = await Promise.all([startNats(), startRedis(), testDatabase("catalog")]);
  await runMigrations(database.url);
  const config = loadCatalogConfig({
    NODE_ENV: "test",
    NATS_URL: nats.url,
    REDIS_URL: redisServer.url,
    DATABASE_URL: database.url,
    // Cheap hashes keep the suite fast; the cost is a parameter, the code path is the same.
    SCRYPT_LOG_N: "12",
    PASSWORD_HASH_THREADS: "1",
    ...env,
  });
  const db = createDb(database.url, { max: 5 });
  const redis = createRedis(redisServer.url, "catalog-test");
  const bus = await connectBus({ servers: nats.url, name: "catalog-test" });
  await ensureTopology(bus, await loadTopology());
  const seatCommands = await createSeatCommandClient(bus, { partitions: config.PARTITIONS, lookup: seatReplyLookup(redis) });
  const hasher: PasswordHasher = await createPasswordHasher({
      threads: config.PASSWORD_HASH_THREADS,
      logN: config.SCRYPT_LOG_N,
      waitBudgetMs: config.PASSWORD_WAIT_BUDGET_MS,
    });
  await seedAdmin(db.db, hasher, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  const app = await buildApp({
    config,
    logger: createLogger("catalog-test", process.env.TEST_LOG_LEVEL ?? "silent"),
    metrics: createMetrics("catalog-test"),
    checks: { nats: natsCheck(bus), redis: redisCheck(redis), postgres: postgresCheck(db.sql) },
    db: db.db,
    redis,
    hasher,
    seatCommands,
    accountMail: accountMailOnBus(bus),
    bus,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.ready();

  const call: CatalogStack["call"] = ({ token, headers, ...rest }) =>
    app.inject({ ...rest, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const login: CatalogStack["login"] = async (email, password, ip) => {
    const res = await call({ method: "POST", url: "/v1/auth/login", payload: { email, password }, headers: ip ? { "x-forwarded-for": ip } : {} });
    if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  let admin: string | undefined;
  const adminToken = async () => {
    admin ??= (await login(DEV_ADMIN.email, DEV_ADMIN.password)).accessToken;
    return admin;
  };
  return {
    app,
    config,
    db,
    redis,
    bus,
    nats,
    redisServer,
    database,
    seatCommands,
    hasher,
    call,
    login,
    adminToken,
    async user(email, roles = []) {
      const res = await call({ method: "POST", url: "/v1/auth/register", payload: { email, password: TEST_PASSWORD, displayName: email.split("@")[0] } });
      if (res.statusCode !== 201) throw new Error(`register ${email}: ${res.statusCode} ${res.body}`);
      const id: string = res.json().user.id;
      if (roles.length > 0) {
        const granted = await call({ method: "POST", url: `/v1/users/${id}/roles`, token: await adminToken(), payload: { roles } });
        if (granted.statusCode !== 200) throw new Error(`grant ${roles}: ${granted.statusCode} ${granted.body}`);
      }
      return { id, ...(await login(email, TEST_PASSWORD)) };
    },
    async close() {
      await app.close();
      await seatCommands.close();
      await bus.close();
      await hasher.close();
      redis.disconnect();
      await db.close();
      await Promise.all([nats.dispose(), redisServer.dispose(), database.drop()]);
    },
  };
}

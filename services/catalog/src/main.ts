import { hostname } from "node:os";
import { connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { createDb, runMigrations } from "@rush/db";
import { bootConfig, createLogger, createMetrics, createRedis, natsCheck, postgresCheck, redisCheck, runService, seatReplyLookup } from "@rush/service";
import { buildApp } from "./app.ts";
import { loadCatalogConfig } from "./config.ts";
import { accountMailOnBus } from "./identity/account-mail.ts";
import { createPasswordHasher } from "./identity/password-hasher.ts";
import { seedAdmin } from "./identity/seed-admin.ts";

const config = bootConfig("catalog", () => loadCatalogConfig());
const logger = createLogger("catalog", config.LOG_LEVEL);

await runService(
  logger,
  async () => {
    await runMigrations(config.DATABASE_URL);
    const db = createDb(config.DATABASE_URL, { applicationName: "catalog" });
    const redis = createRedis(config.REDIS_URL, "catalog");
    const bus = await connectBus({
      servers: config.NATS_URL,
      name: `catalog-${hostname()}-${process.pid}`,
      // Pings come every few seconds and say nothing; disconnects and reconnects matter.
      onStatus: (status) => {
        if (status.type !== "ping") logger.info({ nats: status.type }, "nats status");
      },
    });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    const seatCommands = await createSeatCommandClient(bus, { partitions: config.PARTITIONS, lookup: seatReplyLookup(redis) });
    const hasher = await createPasswordHasher({
      threads: config.PASSWORD_HASH_THREADS,
      logN: config.SCRYPT_LOG_N,
      waitBudgetMs: config.PASSWORD_WAIT_BUDGET_MS,
    });
    const seeded = await seedAdmin(db.db, hasher, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    if (seeded === "refused") {
      // Someone registered ADMIN_EMAIL with another password: it stays a plain account.
      logger.error({ admin: config.ADMIN_EMAIL }, "ADMIN_EMAIL belongs to an account whose password is not ADMIN_PASSWORD: not made admin");
    } else logger.info({ admin: config.ADMIN_EMAIL, seeded }, "first admin in place");

    const app = await buildApp({
      config,
      logger,
      metrics: createMetrics("catalog"),
      checks: { nats: natsCheck(bus), redis: redisCheck(redis), postgres: postgresCheck(db.sql) },
      db: db.db,
      redis,
      hasher,
      seatCommands,
      accountMail: accountMailOnBus(bus),
      bus,
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    return {
      async stop() {
        // Stop taking requests and finish those in flight, then free what they used.
        await app.close();
        await seatCommands.close();
        await bus.drain();
        await hasher.close();
        await redis.quit();
        await db.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

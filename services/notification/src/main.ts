import { hostname } from "node:os";
import { connectBus, ensureTopology, loadTopology } from "@rush/bus";
import { createDb } from "@rush/db";
import { bootConfig, connectRedisSubscriber, createLogger, createMetrics, createRedis, runService } from "@rush/service";
import { buildNotificationService } from "./app.ts";
import { readConfig } from "./config.ts";

const config = bootConfig("notification", () => readConfig());
const logger = createLogger("notification", config.LOG_LEVEL);

await runService(
  logger,
  async () => {
    const name = `notification-${hostname()}-${process.pid}`;
    const db = createDb(config.DATABASE_URL, { max: 2, applicationName: "notification" });
    const redis = createRedis(config.REDIS_URL, name);
    // The adapter's connections never give up on a queued command: a subscribe it loses is a
    // deaf instance, and a publish it loses is a broadcast nobody sees.
    const pub = createRedis(config.REDIS_URL, `${name}-pub`, logger, { maxRetriesPerRequest: null });
    const sub = await connectRedisSubscriber(config.REDIS_URL, `${name}-sub`, logger);
    const bus = await connectBus({ servers: config.NATS_URL, name });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    const service = await buildNotificationService({ config, bus, db, redis, pub, sub, logger, metrics: createMetrics("notification") });
    await service.start();
    await service.app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ port: config.PORT, path: "/socket.io" }, "notification service started");
    return {
      async stop() {
        await service.stop();
        await service.app.close();
        await bus.drain();
        for (const client of [redis, pub, sub]) client.disconnect();
        await db.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

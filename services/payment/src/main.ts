import { hostname } from "node:os";
import { connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { createDb, runMigrations } from "@rush/db";
import { bootConfig, createLogger, createMetrics, createRedis, runService, seatReplyLookup } from "@rush/service";
import { buildPaymentService } from "./app.ts";
import { readConfig } from "./config.ts";

const config = bootConfig("payment", () => readConfig());
const logger = createLogger("payment", config.LOG_LEVEL);

await runService(
  logger,
  async () => {
    await runMigrations(config.DATABASE_URL);
    const db = createDb(config.DATABASE_URL, { applicationName: "payment" });
    const redis = createRedis(config.REDIS_URL, "payment");
    const bus = await connectBus({ servers: config.NATS_URL, name: `payment-${hostname()}-${process.pid}` });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    // A confirm asked again (reconciler, retried webhook) is answered from the actors' result store.
    const seats = await createSeatCommandClient(bus, {
      partitions: config.PARTITIONS,
      lookup: seatReplyLookup(redis),
    });
    const service = await buildPaymentService({ config, bus, db, seats, redis, logger, metrics: createMetrics("payment") });
    await service.app.listen({ host: config.HOST, port: config.PORT });
    service.start();
    logger.info({ port: config.PORT }, "payment service started");
    return {
      async stop() {
        await service.app.close();
        await service.stop();
        await seats.close();
        await bus.drain();
        redis.disconnect();
        await db.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

import { hostname } from "node:os";
import { connectBus, ensureTopology, loadTopology } from "@rush/bus";
import { createDb, runMigrations } from "@rush/db";
import { bootConfig, createLogger, createMetrics, runService } from "@rush/service";
import { buildOrderService } from "./app.ts";
import { readConfig } from "./config.ts";

const config = bootConfig("order", () => readConfig());
const logger = createLogger("order", config.LOG_LEVEL);

await runService(
  logger,
  async () => {
    await runMigrations(config.DATABASE_URL);
    const db = createDb(config.DATABASE_URL, { applicationName: "order" });
    const bus = await connectBus({ servers: config.NATS_URL, name: `order-${hostname()}-${process.pid}` });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    const service = await buildOrderService({ config, bus, db, logger, metrics: createMetrics("order") });
    await service.start();
    await service.app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ port: config.PORT }, "order service started");
    return {
      async stop() {
        await service.app.close();
        await service.stop();
        await bus.drain();
        await db.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

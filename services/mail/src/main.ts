import { hostname } from "node:os";
import { connectBus, ensureTopology, loadTopology } from "@rush/bus";
import { createDb } from "@rush/db";
import { bootConfig, createLogger, createMetrics, runService } from "@rush/service";
import { buildMailService } from "./app.ts";
import { readConfig } from "./config.ts";

const config = bootConfig("mail", () => readConfig());
const logger = createLogger("mail", config.LOG_LEVEL);

await runService(
  logger,
  async () => {
    const name = `mail-${hostname()}-${process.pid}`;
    const db = createDb(config.DATABASE_URL, { max: 4, applicationName: "mail" });
    const bus = await connectBus({ servers: config.NATS_URL, name });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    const service = await buildMailService({ config, bus, db, logger, metrics: createMetrics("mail") });
    await service.start();
    await service.app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ port: config.PORT, transport: service.transport.kind, ...(service.transport.kind === "outbox" ? { outbox: config.OUTBOX_DIR } : {}) }, "mail service started");
    return {
      async stop() {
        await service.stop();
        await service.app.close();
        await bus.drain();
        await db.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

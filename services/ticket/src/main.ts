import { connectBus, ensureTopology, loadTopology } from "@rush/bus";
import { bootConfig, createLogger, createMetrics, createRedis, runService } from "@rush/service";
import { buildTicketService } from "./app.ts";
import { readConfig } from "./config.ts";

const config = bootConfig("ticket", () => readConfig());
const logger = createLogger("ticket", config.LOG_LEVEL).child({ worker: config.WORKER_ID });

await runService(
  logger,
  async () => {
    const bus = await connectBus({ servers: config.NATS_URL, name: `ticket-${config.WORKER_ID}` });
    await ensureTopology(bus, await loadTopology(undefined, { replicas: config.NATS_REPLICAS }));
    const redis = createRedis(config.REDIS_URL, `ticket-${config.WORKER_ID}`, logger);
    const { app, worker } = await buildTicketService({ config, bus, redis, logger, metrics: createMetrics("ticket") });
    await worker.start();
    await app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ port: config.PORT, partitions: worker.partitions.length }, "ticket worker started");
    return {
      stop: async () => {
        await app.close();
        await worker.stop();
        await bus.drain();
        redis.disconnect();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);

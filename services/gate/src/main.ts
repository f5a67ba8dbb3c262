import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { bootConfig, createLogger } from "@rush/service";
import { acceptInto, listenHandlesFromPrimary } from "./accept-handles.ts";
import { gateProcessesOf, loadGateConfig, metricsPortOf } from "./config.ts";
import { isGateWorker, runGateProcesses, shareMetricsWithPrimary } from "./processes.ts";
import { createGateRedis } from "./gate-redis.ts";

const config = bootConfig("gate", () => loadGateConfig());
const instance = config.INSTANCE_ID ?? `gate-${randomUUID().slice(0, 8)}`;
const logger = createLogger("gate", config.LOG_LEVEL).child({ instance });
const metricsPort = metricsPortOf(config);

const processes = gateProcessesOf(config);

if (processes.supervised && !isGateWorker()) {
  await runGateProcesses({
    count: processes.processes,
    acceptHandles: processes.acceptHandles,
    listen: { host: config.HOST, port: config.PORT },
    instance,
    logger,
    metrics: { host: config.METRICS_HOST, port: metricsPort },
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
} else {
  await runGate();
}

async function runGate() {
  // Loaded here, not at the top: a primary of several gate processes only supervises, and the
  // app's graph (fastify, the bus, drizzle, every route) cost it ~1 s of CPU at start and ~30 MB.
  const [{ connectBus, createSeatCommandClient }, { createDb }, { createMetrics, runService, seatReplyLookup }, { buildApp }] = await Promise.all([
    import("@rush/bus"),
    import("@rush/db"),
    import("@rush/service"),
    import("./app.ts"),
  ]);
    await runService(
    logger,
    async () => {
      const bus = await connectBus({
        servers: config.NATS_URL,
        name: instance,
        onStatus: (status) => logger.info({ status: status.type }, "nats status"),
      });
      const redis = createGateRedis(config.REDIS_URL, instance, logger);
      const db = createDb(config.DATABASE_URL, { max: 10, applicationName: instance });
      const seats = await createSeatCommandClient(bus, {
        partitions: config.PARTITIONS,
        clientId: instance.replace(/[^A-Za-z0-9_-]/g, "_"),
        defaultTimeoutMs: config.HOLD_WAIT_MS,
        lookup: seatReplyLookup(redis),
        // Retries are answered from the gate's own Idempotency-Key records first.
        lookupFirst: false,
        // Commands are built from zod-validated requests: no second parse per hold.
        parseCommands: false,
        // The actor's hop times, for the hold answers' Server-Timing.
        hopTimes: config.SERVER_TIMING,
      });
      const metrics = createMetrics("gate");
      const app = await buildApp({ config, bus, redis, db, seats, logger, metrics });
      const acceptors = await listen(app.server, (options) => app.listen(options));
      // One of several gate processes: the primary serves /metrics for them all.
      if (isGateWorker()) shareMetricsWithPrimary(metrics);
      else await app.internal?.listen({ host: config.METRICS_HOST, port: metricsPort });
      logger.info({ port: config.PORT, catalog: config.CATALOG_URL, acceptHandles: acceptors.handles }, "gate listening");
      return {
        async stop() {
          await acceptors.close();
          await app.close(); // stops accepting, lets in-flight requests finish
          await seats.close();
          await bus.drain();
          redis.disconnect();
          await db.close();
        },
      };
    },
    config.SHUTDOWN_TIMEOUT_MS,
  );
}

/**
 * Alone, the gate listens on its port. One of several processes, it listens on the primary's
 * copies of the shared socket: the app on the first, each other one an acceptor handing its
 * connections to the app's server.
 */
async function listen(server: Server, appListen: (options: { host: string; port: number; backlog: number; handle?: object }) => Promise<unknown>) {
  const handles = isGateWorker() ? await listenHandlesFromPrimary() : [];
  const [first, ...more] = handles;
  // Node's server.listen takes `handle` before host and port; fastify passes its options through.
  await appListen({ host: config.HOST, port: config.PORT, backlog: config.LISTEN_BACKLOG, ...(first ? { handle: first } : {}) });
  const acceptors = await acceptInto(server, more, config.LISTEN_BACKLOG);
  return { ...acceptors, handles: Math.max(1, handles.length) };
}

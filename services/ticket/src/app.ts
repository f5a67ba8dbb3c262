import type { Bus } from "@rush/bus";
import { type Logger, createServiceApp, isRedisCluster, natsCheck, redisCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { TicketConfig } from "./config.ts";
import { LeaseStore } from "./leases.ts";
import { createTicketMetrics } from "./metrics.ts";
import { defineFenceScripts } from "./redis-batch.ts";
import { SnapshotStore } from "./snapshot-store.ts";
import { Worker } from "./worker.ts";

export interface TicketDeps {
  config: TicketConfig;
  bus: Bus;
  redis: Redis;
  logger: Logger;
  metrics: Registry;
  clock?: () => number;
}

/** Builds the worker and its HTTP face (health, metrics, owned partitions); starts nothing. */
export async function buildTicketService(deps: TicketDeps): Promise<{ app: FastifyInstance; worker: Worker }> {
  defineFenceScripts(deps.redis);
  const worker = new Worker({
    config: deps.config,
    bus: deps.bus,
    redis: deps.redis,
    leases: await LeaseStore.open(deps.bus),
    snapshots: await SnapshotStore.open(deps.bus, { spacingMs: deps.config.SNAPSHOT_SPACING_MS }),
    logger: deps.logger,
    metrics: createTicketMetrics(deps.metrics),
    clock: deps.clock ?? Date.now,
  });
  // After a Redis restart its data may be behind memory (AOF fsyncs every second): write it again.
  let connectedOnce = deps.redis.status === "ready";
  deps.redis.on("ready", () => {
    if (connectedOnce) worker.resyncAll();
    connectedOnce = true;
  });
  // A Redis Cluster client stays "ready" through a master's failover; its replica may lack the
  // master's last writes (replication is asynchronous), so the node leaving and joining resyncs.
  if (isRedisCluster(deps.redis)) {
    deps.redis.on("-node", () => worker.resyncAll());
    deps.redis.on("+node", () => worker.resyncAll());
  }
  const app = createServiceApp({
    logger: deps.logger,
    metrics: deps.metrics,
    checks: {
      nats: natsCheck(deps.bus),
      redis: redisCheck(deps.redis),
      partitions: async () => {
        if (!worker.caughtUp) throw new Error("replaying partition logs");
      },
    },
  });
  app.get("/partitions", async () => ({
    workerId: deps.config.WORKER_ID,
    partitions: worker.partitions.map((p) => ({ partition: p, seq: worker.actor(p)?.seq ?? 0, caughtUp: worker.actor(p)?.caughtUp ?? false })),
  }));
  return { app, worker };
}

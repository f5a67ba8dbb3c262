import cluster, { type Worker } from "node:cluster";
import type { Logger } from "@rush/service";
import Fastify from "fastify";
import { AggregatorRegistry, type Registry } from "prom-client";
import { bindListenHandle, handOutListenHandles } from "./accept-handles.ts";

/**
 * Several gate processes on one port (GATE_PROCESSES), each accepting from the listening socket
 * itself, not handed connections by this primary: Node (libuv ≥ 1.45) accepts one connection per
 * listen handle per event-loop turn, and a busy gate's turns are tens of milliseconds. The
 * primary's round robin would not help: it passes each worker one connection at a time and waits
 * for that worker's turn to take it. So the primary binds the port once and hands each worker
 * GATE_ACCEPT_HANDLES copies of it (accept-handles.ts): a worker takes that many per turn. One
 * process may run so too, for its copies (`./scripts/start`).
 *
 * The primary only supervises: it restarts a worker that dies, drains them all on SIGTERM or
 * SIGINT, and serves `/metrics` summed over the workers (prom-client's cluster aggregation).
 */
export interface GateProcessesOptions {
  count: number;
  /** Copies of the listening socket each process accepts on. */
  acceptHandles: number;
  /** The port the workers share, bound here. */
  listen: { host: string; port: number };
  instance: string;
  logger: Logger;
  metrics: { host: string; port: number };
  shutdownTimeoutMs: number;
}

const RESTART_DELAY_MS = [500, 1_000, 2_000, 5_000];

export async function runGateProcesses(options: GateProcessesOptions): Promise<void> {
  const { logger } = options;
  // Without a handle of ours (a Node without the binding), workers listen through the cluster
  // module, still each on the socket itself rather than handed connections one at a time.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const listenHandle = await bindListenHandle(options.listen.host, options.listen.port);
  if (!listenHandle) logger.warn("this Node cannot bind a listen handle to share: one accept per gate process per loop turn");
  let stopping = false;
  const restarts = new Map<number, number>();

  const fork = (index: number) => {
    const worker = cluster.fork({ INSTANCE_ID: `${options.instance}-${index}` });
    handOutListenHandles(worker, listenHandle, options.acceptHandles);
    const startedAt = Date.now();
    worker.once("exit", (code, signal) => {
      if (stopping) return;
      // Back to the shortest delay once a worker has run a minute.
      const attempt = Date.now() - startedAt > 60_000 ? 0 : (restarts.get(index) ?? 0) + 1;
      restarts.set(index, attempt);
      const delayMs = RESTART_DELAY_MS[Math.min(attempt, RESTART_DELAY_MS.length - 1)] as number;
      logger.error({ worker: index, code, signal, delayMs }, "gate process exited: starting it again");
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delayMs);
    });
    return worker;
  };
  for (let i = 1; i <= options.count; i++) fork(i);

  const aggregator = new AggregatorRegistry();
  const metricsApp = Fastify({ logger: false });
  metricsApp.get("/metrics", async (_request, reply) => {
    reply.header("content-type", aggregator.contentType);
    return (await aggregator.clusterMetrics()) as string;
  });
  await metricsApp.listen({ host: options.metrics.host, port: options.metrics.port });
  logger.info({ processes: options.count, metricsPort: options.metrics.port }, "gate processes started");

  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "draining every gate process");
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs: options.shutdownTimeoutMs }, "drain timed out: exiting");
      process.exit(1);
    }, options.shutdownTimeoutMs + 1_000).unref();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const codes = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve) => {
            if (worker.isDead()) return resolve(0);
            // A worker still starting when the signal came dies of it, having nothing to drain.
            worker.once("exit", (code, signal) => resolve(code ?? (signal === "SIGTERM" ? 0 : 1)));
            worker.process.kill("SIGTERM");
          }),
      ),
    );
    await metricsApp.close();
    process.exit(codes.every((code) => code === 0) ? 0 : 1);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/** In a worker: its registry answers the primary's `/metrics` aggregation. */
export function shareMetricsWithPrimary(registry: Registry): void {
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

export const isGateWorker = () => cluster.isWorker;

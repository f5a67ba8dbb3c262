import { isAbsolute, join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Redis } from "ioredis";
import { type ClusterEnv, type TestCluster, clusterAsServer, clusterHandle } from "./cluster.ts";
import { REPO_ROOT, TEST_STACK_ENV, infra, isRunning } from "./infra.ts";

/**
 * `TEST_CLUSTER=shared` (`pnpm test:e2e:cluster`): one 3-node NATS cluster and one Redis Cluster
 * for the whole run, brought up once by the global setup with `infra.sh up --cluster` on the test
 * stack's ports, instead of nine servers started per file (which alone outlasted a hook timeout on
 * a loaded machine). Each file's `startNats`/`startRedis` empties it first (every stream and KV
 * bucket deleted, every master flushed), so files stay independent; they must therefore run one
 * at a time, which the e2e tier does (`fileParallelism: false`).
 */
export const SHARED_CLUSTER_ENV: ClusterEnv = (() => {
  const dir = `${TEST_STACK_ENV.DATA_DIR}-cluster`;
  const nats = Number(TEST_STACK_ENV.NATS_PORT);
  const redis = Number(TEST_STACK_ENV.REDIS_PORT);
  return {
    DATA_DIR: isAbsolute(dir) ? dir : join(REPO_ROOT, dir),
    NATS_PORT: String(nats),
    NATS_MONITOR_PORT: TEST_STACK_ENV.NATS_MONITOR_PORT,
    NATS_CLUSTER_PORT: String(nats + 2000),
    REDIS_PORT: String(redis),
    REDIS_CLUSTER_BUS_PORT: String(redis + 100),
  };
})();

export const sharedClusterMode = (): boolean => process.env.TEST_CLUSTER === "shared";

export const sharedCluster = (servers?: ("nats" | "redis")[]): TestCluster => clusterHandle(SHARED_CLUSTER_ENV, servers);

/**
 * For the global setup: brings the shared cluster up (`infra.sh up --cluster nats redis`) and
 * returns what to do after the run: stop it and delete its data if this run started it; a
 * cluster that was already running (started by hand to look at) is left running.
 */
export async function upSharedCluster(project: string): Promise<() => Promise<void>> {
  if (project !== "e2e" && project !== "e2e-waits") {
    throw new Error(`TEST_CLUSTER=shared runs files one at a time on one cluster: use it with the e2e projects (pnpm test:e2e:cluster), not ${project}`);
  }
  const env = { ...SHARED_CLUSTER_ENV, CLUSTER: "1" };
  const wasRunning = (await isRunning("nats", env)) && (await isRunning("redis", env));
  await infra(["up", "nats", "redis"], env);
  return async () => {
    if (!wasRunning) await sharedCluster().dispose();
  };
}

/** The shared cluster's NATS, emptied: no stream or KV bucket of an earlier file is left. */
export async function sharedNats() {
  const cluster = sharedCluster(["nats"]);
  // A no-op when whole; brings back the nodes an earlier file stopped or killed.
  await cluster.up();
  const nc = await connect({ servers: cluster.env.NATS_URL.split(","), name: "testkit-reset" });
  try {
    const jsm = await jetstreamManager(nc);
    // KV buckets are streams too (KV_<bucket>).
    for (const name of await jsm.streams.names().next()) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
  return { ...(await clusterAsServer("nats", cluster)), dispose: async () => {} };
}

/** The shared Redis Cluster, every master flushed. */
export async function sharedRedis() {
  const cluster = sharedCluster(["redis"]);
  await cluster.up();
  await Promise.all(
    cluster.redisPorts.map(async (port) => {
      const node = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await node.connect();
        if ((await node.role())[0] === "master") await node.flushall();
      } finally {
        node.disconnect();
      }
    }),
  );
  return { ...(await clusterAsServer("redis", cluster)), dispose: async () => {} };
}

import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { infra } from "./infra.ts";
import type { ManagedServer } from "./managed-server.ts";

/**
 * A private 3-node NATS cluster (JetStream, R3) and Redis Cluster (3 masters + 3 replicas) for
 * one test file, started by the project's own `infra.sh up --cluster` in a temporary DATA_DIR,
 * so tests exercise exactly what `./scripts/start` runs with CLUSTER=1.
 */
export interface TestCluster {
  /** NATS_URL, REDIS_URL (every node, comma-separated) and NATS_REPLICAS=3, for services. */
  readonly env: { NATS_URL: string; REDIS_URL: string; NATS_REPLICAS: string };
  readonly natsPorts: number[];
  readonly redisPorts: number[];
  /** The pid of nats node `i` (0..2) or redis node `i` (0..5), or null when it is down. */
  pid(server: "nats" | "redis", i: number): Promise<number | null>;
  /** SIGKILL one node: a crash, no goodbye to its peers. */
  kill(server: "nats" | "redis", i: number): Promise<void>;
  /** Starts again whatever is down (same ports and data); waits until the cluster is whole. */
  up(): Promise<void>;
  /** Stops every node and deletes the data. */
  dispose(): Promise<void>;
}

const NATS_NODES = 3;
const REDIS_NODES = 6;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A base port with the 50 above it free: infra.sh counts each cluster port up from a base. The
 * block sits below the kernel's ephemeral range (32768–60999 here), so a port found free cannot be
 * handed to some other test's outgoing connection or `listen(0)` before the node binds it.
 */
export async function freeBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 25_000 + Math.floor(Math.random() * 140) * 50;
    const ports = Array.from({ length: 50 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error("no block of 50 free ports for a test cluster");
}

const live = new Set<string>();
// A test run that dies must not leave cluster nodes behind (they are daemons with pid files).
process.once("exit", () => {
  for (const dir of live) {
    for (const [server, n] of [["nats", NATS_NODES], ["redis", REDIS_NODES]] as const) {
      for (let i = 1; i <= n; i++) {
        try {
          const text = readFileSync(join(dir, server, `n${i}`, `${server}.pid`), "utf8");
          process.kill(Number(text.trim()), "SIGKILL");
        } catch {
          // already gone, or never started
        }
      }
    }
  }
});

/** The ports and data folder of one cluster, as `infra.sh --cluster` reads them from the environment. */
export interface ClusterEnv {
  DATA_DIR: string;
  NATS_PORT: string;
  NATS_MONITOR_PORT: string;
  NATS_CLUSTER_PORT: string;
  REDIS_PORT: string;
  REDIS_CLUSTER_BUS_PORT: string;
}

/**
 * A handle on the cluster `env` describes (started or not): its URLs, each node's pid, kill one,
 * bring back what is down. `dispose` stops it and deletes `dataDir`.
 */
export function clusterHandle(env: ClusterEnv, servers: ("nats" | "redis")[] = ["nats", "redis"]): TestCluster {
  const withCluster = { ...env, CLUSTER: "1" };
  const natsPorts = Array.from({ length: NATS_NODES }, (_, i) => Number(env.NATS_PORT) + i);
  const redisPorts = Array.from({ length: REDIS_NODES }, (_, i) => Number(env.REDIS_PORT) + i);
  const pid = async (server: "nats" | "redis", i: number) => {
    const text = await readFile(join(env.DATA_DIR, server, `n${i + 1}`, `${server}.pid`), "utf8").catch(() => "");
    const value = Number(text.trim());
    if (!value) return null;
    try {
      process.kill(value, 0);
      return value;
    } catch {
      return null;
    }
  };
  return {
    env: {
      NATS_URL: natsPorts.map((p) => `nats://127.0.0.1:${p}`).join(","),
      REDIS_URL: redisPorts.map((p) => `redis://127.0.0.1:${p}`).join(","),
      NATS_REPLICAS: "3",
    },
    natsPorts,
    redisPorts,
    pid,
    async kill(server, i) {
      const value = await pid(server, i);
      if (value === null) return;
      process.kill(value, "SIGKILL");
      while ((await pid(server, i)) !== null) await new Promise((r) => setTimeout(r, 50));
    },
    async up() {
      await infra(["up", ...servers], withCluster);
    },
    async dispose() {
      await infra(["down", ...servers], withCluster).catch(() => {});
      live.delete(env.DATA_DIR);
      await rm(env.DATA_DIR, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** A cluster's ports counted up from `base` (a free block) and a new data folder named `prefix…` in the temp dir. */
export async function clusterEnvOn(base: number, prefix: string): Promise<ClusterEnv> {
  return {
    DATA_DIR: await mkdtemp(join(tmpdir(), prefix)),
    NATS_PORT: String(base),
    NATS_MONITOR_PORT: String(base + 10),
    NATS_CLUSTER_PORT: String(base + 20),
    REDIS_PORT: String(base + 30),
    REDIS_CLUSTER_BUS_PORT: String(base + 40),
  };
}

/** `servers`: both (default), or one of them (`TEST_CLUSTER=1` runs each as its own cluster). */
export async function startCluster(
  servers: ("nats" | "redis")[] = ["nats", "redis"],
  attempt = 1,
): Promise<TestCluster> {
  const env = await clusterEnvOn(await freeBlock(), "rush-cluster-");
  live.add(env.DATA_DIR);
  const cluster = clusterHandle(env, servers);
  try {
    await cluster.up();
  } catch (error) {
    await cluster.dispose();
    // Another process may still bind a port between our check and the node's start: a new block.
    if (attempt < 3 && /address already in use/i.test(String((error as Error).message))) {
      return startCluster(servers, attempt + 1);
    }
    throw error;
  }
  return cluster;
}

/**
 * `TEST_CLUSTER=1`: what `startNats`/`startRedis` return instead of one server, so any test or
 * stack runs unchanged on a private cluster: `url` lists every node, `stop` and `kill` take the
 * whole cluster down (every node by SIGKILL: an outage, as a test that stops its server means),
 * `start` brings it back. `cluster` is a running one to wrap instead (the shared test cluster).
 */
export async function clusterAsServer(
  server: "nats" | "redis",
  cluster?: TestCluster,
): Promise<{ url: string; port: number; dir: string; replicas: number } & ManagedServer> {
  const running = cluster ?? (await startCluster([server]));
  const ports = server === "nats" ? running.natsPorts : running.redisPorts;
  const all = async (each: (i: number) => Promise<void>) => {
    for (let i = 0; i < ports.length; i++) await each(i);
  };
  return {
    url: server === "nats" ? running.env.NATS_URL : running.env.REDIS_URL,
    port: ports[0]!,
    dir: "",
    replicas: Number(running.env.NATS_REPLICAS),
    start: running.up,
    stop: () => all((i) => running.kill(server, i)),
    kill: () => all((i) => running.kill(server, i)),
    dispose: running.dispose,
  };
}

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { clusterAsServer } from "./cluster.ts";
import { type ManagedServer, startManaged } from "./managed-server.ts";
import { freePort } from "./ports.ts";
import { sharedClusterMode, sharedRedis } from "./shared-cluster.ts";

/** A private redis-server with AOF, like production: one per test file, free to kill and restart. */
export interface RedisServer extends ManagedServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
}

export async function startRedis(options: { bin?: string } = {}): Promise<RedisServer> {
  if (sharedClusterMode() && !options.bin) return sharedRedis();
  if (process.env.TEST_CLUSTER === "1" && !options.bin) return clusterAsServer("redis");
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "rush-redis-"));
  const args = [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir,
    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
  ];
  const server = await startManaged(bin, args, /Ready to accept connections/, dir);
  return { ...server, url: `redis://127.0.0.1:${port}`, port, dir };
}

/**
 * How many times the server has read from its clients' sockets (`INFO stats`): one round trip a
 * read when the server is otherwise idle, so a test can tell one round trip from several. The
 * count includes the INFO that reads it. On a Redis Cluster, the one node `redis` answers for.
 */
export async function redisReadsProcessed(redis: Pick<Redis, "info">): Promise<number> {
  return Number(/total_reads_processed:(\d+)/.exec(await redis.info("stats"))?.[1] ?? Number.NaN);
}

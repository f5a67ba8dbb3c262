import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "./logger.ts";

/**
 * The nodes a `REDIS_URL` names: one URL is a single Redis; several, comma-separated, are seeds
 * of a Redis Cluster (`redis://h1:6379,redis://h2:6379`; credentials from the first that has
 * them). A cluster needs no more than that: the client learns every node from any one of them.
 */
export function redisNodesOf(url: string): { nodes: { host: string; port: number }[]; username?: string; password?: string } | null {
  const urls = url.split(",").map((u) => u.trim()).filter(Boolean);
  if (urls.length < 2) return null;
  let username: string | undefined;
  let password: string | undefined;
  const nodes = urls.map((text) => {
    const parsed = new URL(text.includes("://") ? text : `redis://${text}`);
    if (parsed.password && password === undefined) {
      password = decodeURIComponent(parsed.password);
      if (parsed.username) username = decodeURIComponent(parsed.username);
    }
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return { nodes, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/** Whether a client made by `createRedis` talks to a Redis Cluster (its pipelines must then stay in one slot). */
export const isRedisCluster = (redis: Redis): boolean => (redis as unknown as { isCluster?: boolean }).isCluster === true;

/**
 * The shared Redis client settings: reconnect forever with a capped backoff (a Redis restart
 * pauses holds, it doesn't kill the service), and fail commands fast while disconnected so
 * callers answer 503 rather than hang.
 */
export function createRedis(
  url: string,
  name: string,
  logger?: Pick<Logger, "warn">,
  overrides: Partial<RedisOptions> = {},
): Redis {
  const options: RedisOptions = {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    // Capped at 250 ms: a reconnect attempt is one cheap TCP connect, and a longer cap was most
    // of the seconds sales stayed stopped after Redis was back (it could sleep 2 s past its return).
    retryStrategy: (times) => Math.min(25 * 2 ** times, 250),
    ...overrides,
  };
  const cluster = redisNodesOf(url);
  const redis = cluster ? createCluster(cluster, options) : new Redis(url, options);
  // Without a listener ioredis reports every failed reconnect as unhandled; readiness checks and
  // failing commands already surface an outage, so one line per state change is enough.
  let down = false;
  redis.on("error", (error) => {
    if (!down) logger?.warn({ err: error, redis: name }, "redis unreachable; reconnecting");
    down = true;
  });
  redis.on("ready", () => {
    down = false;
  });
  return redis;
}

/**
 * A Redis Cluster client typed as `Redis`: every command, script (`defineCommand`), MULTI and
 * pipeline the services use has the same API on both, and one type keeps every caller unchanged.
 * What differs is the cluster's rule that one script, MULTI or pipeline stays in one hash slot
 * (the key builders' `{tag}`s; `isRedisCluster` for the few callers that mix slots).
 */
function createCluster(seed: NonNullable<ReturnType<typeof redisNodesOf>>, options: RedisOptions): Redis {
  const { retryStrategy, enableOfflineQueue, maxRetriesPerRequest, ...perNode } = options;
  const cluster = new Cluster(seed.nodes, {
    redisOptions: {
      ...perNode,
      maxRetriesPerRequest: maxRetriesPerRequest ?? null,
      ...(seed.username !== undefined ? { username: seed.username } : {}),
      ...(seed.password !== undefined ? { password: seed.password } : {}),
    },
    enableOfflineQueue: enableOfflineQueue ?? true,
    ...(options.enableReadyCheck !== undefined ? { enableReadyCheck: options.enableReadyCheck } : {}),
    ...(options.enableAutoPipelining !== undefined ? { enableAutoPipelining: options.enableAutoPipelining } : {}),
    clusterRetryStrategy: (times) => (retryStrategy ? (retryStrategy(times) ?? 250) : 250),
    // A master that died is failed over to its replica within seconds (cluster-node-timeout):
    // retry soon and refresh the slot map so commands reach the new master, not the dead one.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    maxRedirections: 32,
    slotsRefreshTimeout: 2_000,
    slotsRefreshInterval: 2_000,
  });
  return cluster as unknown as Redis;
}

/**
 * A connection for SUBSCRIBE only, resolved once it is ready. ioredis ≥ 5.8.2 can interleave its
 * connect handshake (the INFO ready check) with a SUBSCRIBE issued while connecting, and Redis
 * refuses the INFO on a subscribed connection (redis/ioredis#2037). So the ready check is off —
 * a subscribed connection could not run it on a reconnect either — and callers subscribe only
 * after the handshake. Commands never give up: a lost subscribe is a deaf instance.
 */
export async function connectRedisSubscriber(url: string, name: string, logger?: Pick<Logger, "warn">): Promise<Redis> {
  const sub = createRedis(url, name, logger, { maxRetriesPerRequest: null, enableReadyCheck: false });
  if (sub.status !== "ready") await new Promise<void>((resolve) => sub.once("ready", () => resolve()));
  return sub;
}

import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "./logger.ts";

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
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    // Capped at 250 ms: a reconnect attempt is one cheap TCP connect, and a longer cap was most
    // of the seconds sales stayed stopped after Redis was back (it could sleep 2 s past its return).
    retryStrategy: (times) => Math.min(25 * 2 ** times, 250),
    ...overrides,
  });
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

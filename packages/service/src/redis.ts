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
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
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

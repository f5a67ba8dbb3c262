import { Redis } from "ioredis";

/**
 * The shared Redis client settings: reconnect forever with a capped backoff (a Redis restart
 * pauses holds, it doesn't kill the service), and fail commands fast while disconnected so
 * callers answer 503 rather than hang.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
}

import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { Redis } from "ioredis";

/**
 * A sliding-window counter for `@fastify/rate-limit` (its bundled Redis store is a fixed
 * window, which lets a client send twice the limit across a window boundary). The estimate is
 * this window's count plus the previous window's, weighted by how much of it still overlaps
 * the sliding window. One Lua call: one round trip; Redis's own clock, so every gate agrees.
 * Both windows' keys share a hash tag (one Redis Cluster slot).
 */
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local index = math.floor(now / window)
local current = KEYS[1] .. ':' .. index
local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0')
local count = redis.call('INCR', current)
if count == 1 then redis.call('PEXPIRE', current, window * 2) end
local elapsed = now - index * window
local estimate = previous * (window - elapsed) / window + count
local ttl = window - elapsed
if estimate > max and previous > 0 and count <= max then
  -- Over only because of the previous window: wait until enough of it has slid out.
  ttl = math.ceil(window - elapsed - (max - count) * window / previous)
  if ttl < 1 then ttl = 1 end
end
return {math.ceil(estimate), ttl}
`;

type Scripted = Redis & {
  rushSlidingWindow(key: string, window: number, max: number, cb: (error: Error | null, result?: [number, number]) => void): void;
};

/** The store class `@fastify/rate-limit` instantiates itself, bound to a Redis client. */
export function slidingWindowStore(redis: Redis, prefix = "rl:"): FastifyRateLimitStoreCtor {
  if (!("rushSlidingWindow" in redis)) redis.defineCommand("rushSlidingWindow", { numberOfKeys: 1, lua: SLIDING_WINDOW });
  const scripted = redis as Scripted;
  class SlidingWindowStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number) {
      scripted.rushSlidingWindow(`${prefix}{${key}}`, timeWindow, max, (error, result) => {
        if (error || !result) callback(error ?? new Error("rate limit store answered nothing"));
        else callback(null, { current: result[0], ttl: result[1] });
      });
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return SlidingWindowStore;
}

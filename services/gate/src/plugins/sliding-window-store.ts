import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { Redis } from "ioredis";

/**
 * A sliding-window counter for `@fastify/rate-limit` (its bundled Redis store is a fixed
 * window, which lets a client send twice the limit across a window boundary). The estimate is
 * this window's count plus the previous window's, weighted by how much of it still overlaps
 * the sliding window. One Lua call: one round trip; Redis's own clock, so every gate agrees.
 * Both windows' keys share the key's hash tag (one Redis Cluster slot). `SLIDING_WINDOW_LUA` is
 * the same count as a Lua function, for a script that does a route's other per-user work too.
 */
export const SLIDING_WINDOW_LUA = `
local function slidingWindow(base, window, max)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local index = math.floor(now / window)
  local current = base .. ':' .. index
  local previous = tonumber(redis.call('GET', base .. ':' .. (index - 1)) or '0')
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
  return math.ceil(estimate), ttl
end
`;

const SLIDING_WINDOW = `${SLIDING_WINDOW_LUA}
local estimate, ttl = slidingWindow(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {estimate, ttl}
`;

export const RATE_LIMIT_PREFIX = "rl:";

/**
 * A limit's key: per IP tagged by the address, per user by the user id, so one script can count
 * a user's limit with the rest of that user's keys (`idem:{<userId>}:…`) in one Redis Cluster slot.
 */
export const limitKeys = {
  ip: (rateClass: string, ip: string) => `{ip:${ip}}:${rateClass}`,
  user: (rateClass: string, userId: string) => `{${userId}}:${rateClass}:u`,
};

type Scripted = Redis & {
  rushSlidingWindow(key: string, window: number, max: number, cb: (error: Error | null, result?: [number, number]) => void): void;
};

/**
 * The store class `@fastify/rate-limit` instantiates itself, bound to a Redis client. Keys are
 * `prefix` + the limit's key, which carries its own hash tag (see `limitKeys`).
 */
export function slidingWindowStore(redis: Redis, prefix = RATE_LIMIT_PREFIX): FastifyRateLimitStoreCtor {
  if (!("rushSlidingWindow" in redis)) redis.defineCommand("rushSlidingWindow", { numberOfKeys: 1, lua: SLIDING_WINDOW });
  const scripted = redis as Scripted;
  class SlidingWindowStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number) {
      // A key without its own hash tag gets one: the script derives the windows' keys from it,
      // and on Redis Cluster they must land in the key's slot.
      const tagged = key.includes("{") ? key : `{${key}}`;
      scripted.rushSlidingWindow(`${prefix}${tagged}`, timeWindow, max, (error, result) => {
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

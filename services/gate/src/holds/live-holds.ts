import { redisKeys } from "@rush/contracts";
import { getMany } from "@rush/service";
import type { Redis } from "ioredis";

/**
 * The per-buyer cap on live holds in a session (bot defence: one account cannot sit on half the
 * hall). `live:{<buyerId>}:<sessionId>` is a sorted set holdId → when the entry lapses (tagged by
 * the buyer, like the buyer's other keys, so the hold route's one script can reserve it). A
 * reservation ends as soon as its command's fate is known: a grant turns it into the hold's own
 * expiry, a refusal or a command never stored removes it, and one whose fate stays unknown (no
 * answer in time, e.g. across a nats-server restart) lapses a few seconds after the wait, so a
 * buyer is never refused for holds they do not have. When the cap is reached the entries are
 * recounted against the hold read model once before refusing (a hold may have been sold,
 * released by expiry, or revoked).
 */
export const RESERVE_HOLD_LUA = `
local function reserveHold(key, now, holdId, untilMs, max)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZSCORE', key, holdId) then return 1 end
  if redis.call('ZCARD', key) >= tonumber(max) then return 0 end
  redis.call('ZADD', key, untilMs, holdId)
  redis.call('PEXPIREAT', key, math.max(tonumber(untilMs), redis.call('PEXPIRETIME', key)))
  return 1
end
`;

const RESERVE = `${RESERVE_HOLD_LUA}
return reserveHold(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`;

export interface LiveHolds {
  /** The buyer's set in the session (for a script that reserves with `RESERVE_HOLD_LUA`). */
  keyOf(sessionId: string, buyerId: string): string;
  /** Counts `holdId` against the buyer's cap until `until` (provisional: its fate is not known yet); false when the cap is reached. */
  reserve(sessionId: string, buyerId: string, holdId: string, now: number, until: number): Promise<boolean>;
  /** The hold was refused, released or ended. */
  forget(sessionId: string, buyerId: string, holdId: string): Promise<void>;
  /** Whether the buyer has a live hold in the session that lasts past `at` (a hold granted lately lasts longest). */
  anyLastingPast(sessionId: string, buyerId: string, at: number): Promise<boolean>;
}

const keyOf = (sessionId: string, buyerId: string) => `live:{${buyerId}}:${sessionId}`;

export function createLiveHolds(redis: Redis, max: number): LiveHolds {
  type Scripted = Redis & {
    rushReserveHold(...args: (string | number)[]): Promise<number>;
  };
  if (!("rushReserveHold" in redis)) {
    redis.defineCommand("rushReserveHold", { numberOfKeys: 1, lua: RESERVE });
  }
  const scripted = redis as Scripted;

  /** Drops entries whose hold is no longer live according to the read model. */
  async function prune(key: string, now: number): Promise<void> {
    const holdIds = await redis.zrange(key, 0, -1);
    if (holdIds.length === 0) return;
    const views = await getMany(redis, holdIds.map((id) => redisKeys.hold(id)));
    const ended = holdIds.filter((_, i) => {
      const text = views[i];
      if (!text) return false; // not in the read model yet: still being decided
      try {
        const view = JSON.parse(text) as { status?: string; expiresAt?: number };
        return view.status !== "held" || (view.expiresAt !== undefined && view.expiresAt <= now);
      } catch {
        return false;
      }
    });
    if (ended.length > 0) await redis.zrem(key, ...ended);
  }

  return {
    keyOf,
    async reserve(sessionId, buyerId, holdId, now, until) {
      const key = keyOf(sessionId, buyerId);
      if ((await scripted.rushReserveHold(key, now, holdId, until, max)) === 1) return true;
      await prune(key, now);
      return (await scripted.rushReserveHold(key, now, holdId, until, max)) === 1;
    },
    async forget(sessionId, buyerId, holdId) {
      await redis.zrem(keyOf(sessionId, buyerId), holdId);
    },
    async anyLastingPast(sessionId, buyerId, at) {
      return (await redis.zcount(keyOf(sessionId, buyerId), `(${at}`, "+inf")) > 0;
    },
  };
}

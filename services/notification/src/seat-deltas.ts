import { type LiveSeatStatus, type SeatsUpdate, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/**
 * Coalesced seat deltas shared by every notification instance, in Redis (keys hash-tagged by
 * session, as the read model's):
 * - `notify:{<sid>}:dirty` the seats changed since the last delta;
 * - `notify:{<sid>}:flush` held by the one instance due to send the next delta (so deltas of a
 *   session never race each other, whichever instance consumed the events);
 * - `notify:{<sid>}:last`  when the last delta went; `notify:{<sid>}:seq` deltas so far.
 * A delta reads the seats' statuses from the read model at the moment it goes, so it is a
 * snapshot at `version`: late or reordered events can never make a client show an older status.
 */
export const notifyKeys = (sessionId: string) => ({
  dirty: `notify:{${sessionId}}:dirty`,
  flush: `notify:{${sessionId}}:flush`,
  last: `notify:{${sessionId}}:last`,
  seq: `notify:{${sessionId}}:seq`,
});

const NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

// KEYS: dirty, flush, last. ARGV: coalesceMs, lockTtlMs, seatIds… → ms to wait before flushing, or -1 (someone else will).
const MARK = `
for i = 3, #ARGV, 500 do
  redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
redis.call('PEXPIRE', KEYS[1], 600000)
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return -1 end
${NOW_MS}
local wait = tonumber(redis.call('GET', KEYS[3]) or '0') + tonumber(ARGV[1]) - now
if wait < 0 then wait = 0 end
return wait
`;

// KEYS: dirty, flush, last, seatmap, seatmap version, seq → {version, seq, seats, statuses}
const FLUSH = `
local seats = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
${NOW_MS}
redis.call('SET', KEYS[3], now, 'PX', 600000)
if #seats == 0 then return {0, 0, {}, {}} end
local statuses = {}
for i = 1, #seats, 500 do
  local part = redis.call('HMGET', KEYS[4], unpack(seats, i, math.min(i + 499, #seats)))
  for j = 1, #part do statuses[#statuses + 1] = part[j] or '' end
end
local version = tonumber(redis.call('GET', KEYS[5]) or '0')
local seq = redis.call('INCR', KEYS[6])
redis.call('PEXPIRE', KEYS[6], 604800000)
return {version, seq, seats, statuses}
`;

type Scripted = Redis & {
  rushNotifyMark(...args: (string | number)[]): Promise<number>;
  rushNotifyFlush(...args: string[]): Promise<[number, number, string[], string[]]>;
};

/** A read-model value as a live seat map shows it (blocked seats look sold), or `undefined` if unknown. */
export function liveStatusOf(value: string): LiveSeatStatus | undefined {
  if (value === "a") return "available";
  if (value === "s" || value === "b") return "sold";
  if (value.startsWith("h:")) return "held";
  return undefined;
}

export interface SeatDeltas {
  /** Records changed seats; resolves once they are safe in Redis (the event may then be acked). */
  mark(sessionId: string, seatIds: readonly string[]): Promise<void>;
  /** The session's starting point for a new subscriber. */
  position(sessionId: string): Promise<{ version: number; seq: number }>;
  close(): void;
}

export interface SeatDeltaOptions {
  coalesceMs: number;
  /** Sends a delta to every subscriber of the session, on every instance. */
  broadcast(update: SeatsUpdate): void;
  onError(error: unknown): void;
}

export function createSeatDeltas(redis: Redis, options: SeatDeltaOptions): SeatDeltas {
  const scripted = redis as Scripted;
  if (!("rushNotifyMark" in redis)) {
    redis.defineCommand("rushNotifyMark", { numberOfKeys: 3, lua: MARK });
    redis.defineCommand("rushNotifyFlush", { numberOfKeys: 6, lua: FLUSH });
  }
  // The flush lock outlives a crashed holder briefly; the next change re-arms a flush after it.
  const lockTtlMs = Math.max(1_000, options.coalesceMs * 10);
  const timers = new Set<NodeJS.Timeout>();

  const flush = async (sessionId: string) => {
    const keys = notifyKeys(sessionId);
    const [version, seq, seats, statuses] = await scripted.rushNotifyFlush(
      keys.dirty, keys.flush, keys.last, redisKeys.seatMap(sessionId), redisKeys.seatMapVersion(sessionId), keys.seq,
    );
    if (seq === 0) return;
    const changes = seats.flatMap((id, i) => {
      const status = liveStatusOf(statuses[i] ?? "");
      return status ? [{ id, status }] : [];
    });
    options.broadcast({ sessionId, version, seq, changes });
  };

  return {
    async mark(sessionId, seatIds) {
      if (seatIds.length === 0) return;
      const keys = notifyKeys(sessionId);
      const wait = await scripted.rushNotifyMark(keys.dirty, keys.flush, keys.last, options.coalesceMs, lockTtlMs, ...seatIds);
      if (wait < 0) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        flush(sessionId).catch(options.onError);
      }, wait);
      timers.add(timer);
    },
    async position(sessionId) {
      const [version, seq] = await redis.mget(redisKeys.seatMapVersion(sessionId), notifyKeys(sessionId).seq);
      return { version: Number(version ?? 0), seq: Number(seq ?? 0) };
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

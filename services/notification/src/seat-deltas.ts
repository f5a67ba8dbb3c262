import { type LiveSeatStatus, type SeatsUpdate, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/**
 * Coalesced seat deltas shared by every notification instance, in Redis (keys hash-tagged by
 * session, as the read model's):
 * - `notify:{<sid>}:dirty` the seats changed since the last delta (`redisKeys.seatChanges`),
 *   written by the seat actor in the pipeline that changes them;
 * - `notify:changed` the sessions with such seats (`redisKeys.changedSessions`): every instance
 *   takes a share of them each interval (SPOP), so each change set is sent by one instance;
 * - `notify:{<sid>}:last`  when the last delta went; `notify:{<sid>}:seq` deltas so far.
 * A delta reads the seats' statuses from the read model at the moment it goes, so it is a
 * snapshot at `version`: late or reordered changes can never make a client show an older status.
 */
export const notifyKeys = (sessionId: string) => ({
  dirty: redisKeys.seatChanges(sessionId),
  last: `notify:{${sessionId}}:last`,
  seq: `notify:{${sessionId}}:seq`,
});

const NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

// KEYS: dirty, last, seatmap, seatmap version, seq. ARGV: min gap ms → {version, seq, seats, statuses}, or {-1} (too soon after the last delta: name the session again).
const FLUSH = `
${NOW_MS}
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if now - last < tonumber(ARGV[1]) then return {-1} end
local seats = redis.call('SMEMBERS', KEYS[1])
if #seats == 0 then return {0, 0, {}, {}} end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], now, 'PX', 600000)
local statuses = {}
for i = 1, #seats, 500 do
  local part = redis.call('HMGET', KEYS[3], unpack(seats, i, math.min(i + 499, #seats)))
  for j = 1, #part do statuses[#statuses + 1] = part[j] or '' end
end
local version = tonumber(redis.call('GET', KEYS[4]) or '0')
local seq = redis.call('INCR', KEYS[5])
redis.call('PEXPIRE', KEYS[5], 604800000)
return {version, seq, seats, statuses}
`;

type Scripted = Redis & {
  rushNotifyFlush(...args: (string | number)[]): Promise<[number, number?, string[]?, string[]?]>;
};

/** A read-model value as a live seat map shows it (blocked seats look sold), or `undefined` if unknown. */
export function liveStatusOf(value: string): LiveSeatStatus | undefined {
  if (value === "a") return "available";
  if (value === "s" || value === "b") return "sold";
  if (value.startsWith("h:")) return "held";
  return undefined;
}

export interface SeatDeltas {
  /** Starts taking changed sessions every `coalesceMs` and sending their deltas. */
  start(): void;
  /** The session's starting point for a new subscriber. */
  position(sessionId: string): Promise<{ version: number; seq: number }>;
  close(): void;
}

export interface SeatDeltaOptions {
  coalesceMs: number;
  /** Sends a delta to every subscriber of the session, on every instance. */
  broadcast(update: SeatsUpdate): void;
  onError(error: unknown): void;
  /** Most sessions one instance takes per interval (the rest wait for the next one, or another instance). */
  sessionsPerTick?: number;
}

export function createSeatDeltas(redis: Redis, options: SeatDeltaOptions): SeatDeltas {
  const scripted = redis as Scripted;
  if (!("rushNotifyFlush" in redis)) redis.defineCommand("rushNotifyFlush", { numberOfKeys: 5, lua: FLUSH });
  const perTick = options.sessionsPerTick ?? 500;
  // Instances tick out of phase; half the interval keeps one session's deltas ~coalesceMs apart
  // without pushing a change that just missed a tick to the one after next.
  const minGapMs = Math.floor(options.coalesceMs / 2);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** The session's delta, or `false` if its last one went too recently. */
  const flush = async (sessionId: string): Promise<boolean> => {
    const keys = notifyKeys(sessionId);
    const [version, seq, seats = [], statuses = []] = await scripted.rushNotifyFlush(
      keys.dirty, keys.last, redisKeys.seatMap(sessionId), redisKeys.seatMapVersion(sessionId), keys.seq, minGapMs,
    );
    if (version === -1) return false;
    if (!seq) return true;
    const changes = seats.flatMap((id, i) => {
      const status = liveStatusOf(statuses[i] ?? "");
      return status ? [{ id, status }] : [];
    });
    options.broadcast({ sessionId, version, seq, changes });
    return true;
  };

  const tick = async () => {
    const taken = ((await redis.spop(redisKeys.changedSessions, perTick)) ?? []) as string[];
    if (taken.length === 0) return;
    const again: string[] = [];
    await Promise.all(
      taken.map((sessionId) =>
        flush(sessionId).then(
          (sent) => {
            if (!sent) again.push(sessionId);
          },
          (error: unknown) => {
            // Its seats are still in the change set: named again, they go with the next tick.
            again.push(sessionId);
            options.onError(error);
          },
        ),
      ),
    );
    if (again.length > 0) await redis.sadd(redisKeys.changedSessions, ...again);
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      tick()
        .catch(options.onError)
        .finally(schedule);
    }, options.coalesceMs);
  };

  return {
    start() {
      if (!timer && !closed) schedule();
    },
    async position(sessionId) {
      const [version, seq] = await redis.mget(redisKeys.seatMapVersion(sessionId), notifyKeys(sessionId).seq);
      return { version: Number(version ?? 0), seq: Number(seq ?? 0) };
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

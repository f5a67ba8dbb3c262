import { randomBytes } from "node:crypto";
import { redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/**
 * A session's waiting room, kept entirely in Redis so any number of gates agree and a gate
 * restart loses nobody:
 * - `wr:{<sessionId>}:q`   sorted set userId → place. Before the sale starts (with the shuffle
 *   on) the place is a random number below 2^48, so everyone present at the start is in a random
 *   order; afterwards it is 2^48 + a counter: first come, first served.
 * - `wr:{<sessionId>}:seq` that counter.
 * - `wr:{<sessionId>}:adm` the admission cursor: how many of the queue, front first, are in.
 *   It advances at `admitPerSecond` from the sale start, never more than `burst` places past
 *   the queue's end (so an idle room does not bank credit for a later crowd).
 * Keys share the `{<sessionId>}` hash tag: one Lua script touches all three in one Cluster slot.
 */
const ADVANCE = `
local function advance(q, adm, now, start, rate, burst)
  if now < start then return 0 end
  local st = redis.call('HMGET', adm, 'cursor', 'last')
  local cursor = tonumber(st[1]) or 0
  local last = tonumber(st[2]) or start
  if now > last then
    local cap = redis.call('ZCARD', q) + burst
    cursor = math.max(cursor, math.min(cap, cursor + (now - last) * rate / 1000))
    redis.call('HSET', adm, 'cursor', tostring(cursor), 'last', tostring(now))
  end
  return math.floor(cursor)
end
`;

// KEYS: q, seq, adm. ARGV: user, now, saleStart, rate, burst, shuffle (1/0), random, ttlMs
const JOIN = `${ADVANCE}
local q, seq, adm = KEYS[1], KEYS[2], KEYS[3]
local now, start = tonumber(ARGV[2]), tonumber(ARGV[3])
local admitted = advance(q, adm, now, start, tonumber(ARGV[4]), tonumber(ARGV[5]))
if not redis.call('ZSCORE', q, ARGV[1]) then
  local score
  if ARGV[6] == '1' and now < start then
    score = tonumber(ARGV[7])
  else
    score = 281474976710656 + redis.call('INCR', seq)
  end
  redis.call('ZADD', q, score, ARGV[1])
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[8]) end
end
return {redis.call('ZRANK', q, ARGV[1]), admitted, redis.call('ZCARD', q)}
`;

// KEYS: q, adm. ARGV: user, now, saleStart, rate, burst
const STATUS = `${ADVANCE}
local admitted = advance(KEYS[1], KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if not rank then return {-1, admitted, 0} end
return {rank, admitted, redis.call('ZCARD', KEYS[1])}
`;

export interface RoomSettings {
  saleStartsAt: number;
  saleEndsAt: number;
  admitPerSecond: number;
  shuffle: boolean;
}

export interface Place {
  /** 0-based place in the queue's order. */
  rank: number;
  admitted: boolean;
  /** People ahead still waiting, plus one; 0 once admitted. */
  position: number;
  /** Everyone who ever joined. */
  size: number;
}

export interface WaitingRoom {
  /** Joins (keeping an existing place) and returns the caller's place. */
  join(sessionId: string, userId: string, room: RoomSettings, now: number): Promise<Place>;
  /** The caller's place, or `undefined` if they never joined. */
  status(sessionId: string, userId: string, room: RoomSettings, now: number): Promise<Place | undefined>;
}

type Scripted = Redis & {
  rushRoomJoin(...args: (string | number)[]): Promise<[number, number, number]>;
  rushRoomStatus(...args: (string | number)[]): Promise<[number, number, number]>;
};

export const waitingRoomKeys = redisKeys.waitingRoom;

const placeOf = (rank: number, admittedCount: number, size: number): Place => {
  const admitted = rank < admittedCount;
  return { rank, admitted, position: admitted ? 0 : rank - admittedCount + 1, size };
};

/** Burst: admissions an empty room grants at once (one second's worth, at least one). */
const burstOf = (room: RoomSettings) => Math.max(1, Math.ceil(room.admitPerSecond));

export function createWaitingRoom(redis: Redis): WaitingRoom {
  const scripted = redis as Scripted;
  if (!("rushRoomJoin" in redis)) {
    redis.defineCommand("rushRoomJoin", { numberOfKeys: 3, lua: JOIN });
    redis.defineCommand("rushRoomStatus", { numberOfKeys: 2, lua: STATUS });
  }
  return {
    async join(sessionId, userId, room, now) {
      const keys = waitingRoomKeys(sessionId);
      // Kept a day past the sale's end, then Redis forgets the room.
      const ttlMs = Math.max(room.saleEndsAt - now, 0) + 86_400_000;
      const random = randomBytes(6).readUIntBE(0, 6);
      const [rank, admitted, size] = await scripted.rushRoomJoin(
        keys.queue, keys.seq, keys.admission,
        userId, now, room.saleStartsAt, room.admitPerSecond, burstOf(room), room.shuffle ? "1" : "0", random, ttlMs,
      );
      return placeOf(rank, admitted, size);
    },
    async status(sessionId, userId, room, now) {
      const keys = waitingRoomKeys(sessionId);
      const [rank, admitted, size] = await scripted.rushRoomStatus(
        keys.queue, keys.admission, userId, now, room.saleStartsAt, room.admitPerSecond, burstOf(room),
      );
      return rank < 0 ? undefined : placeOf(rank, admitted, size);
    },
  };
}

import type { FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { type Idempotency, IDEMPOTENCY_BEGIN_LUA, replayOrGoOn } from "../plugins/idempotency.ts";
import type { UserLimit } from "../plugins/rate-limits.ts";
import { RATE_LIMIT_PREFIX, SLIDING_WINDOW_LUA, limitKeys } from "../plugins/sliding-window-store.ts";
import { problems } from "../problems.ts";
import { type LiveHolds, RESERVE_HOLD_LUA } from "./live-holds.ts";
import { type CommandRecord, commandRecordKey } from "./seat-commands.ts";

/**
 * A hold's per-buyer work in one Redis round trip (it was five: user limit, idempotency record,
 * live-hold reservation, command record, each a script or command of its own): the same steps,
 * in the same order, each stopping the request as it did alone. Every key carries the buyer's
 * hash tag, so the script runs in one Redis Cluster slot.
 * KEYS: user limit base, idempotency record, live-hold set, command record.
 * ARGV: windowMs, user max (0: limits off), fingerprint, idempotency ttl, now, holdId,
 * reserved until, live-hold cap, command record, its ttl.
 */
const HOLD_BEGIN = `${SLIDING_WINDOW_LUA}${IDEMPOTENCY_BEGIN_LUA}${RESERVE_HOLD_LUA}
local max = tonumber(ARGV[2])
local count, ttl = 0, 0
if max > 0 then
  count, ttl = slidingWindow(KEYS[1], tonumber(ARGV[1]), max)
  if count > max then return {'limited', count, ttl} end
end
local created, fingerprint, response = idempotencyBegin(KEYS[2], ARGV[3], ARGV[4])
if created == 0 and (fingerprint ~= ARGV[3] or response) then return {'replay', count, ttl, fingerprint, response} end
if reserveHold(KEYS[3], ARGV[5], ARGV[6], ARGV[7], ARGV[8]) == 0 then return {'full', count, ttl} end
redis.call('SET', KEYS[4], ARGV[9], 'PX', ARGV[10])
return {'ok', count, ttl}
`;

type Answer = [verdict: "limited" | "replay" | "full" | "ok", count: number, ttlMs: number, fingerprint?: string | null, response?: string | null];

export interface HoldBeginOptions {
  /** The hold class's per-user limit (undefined: limits off). */
  userLimit: UserLimit | undefined;
  liveHolds: LiveHolds;
  maxLiveHolds: number;
  idempotencyTtlMs: number;
  recordTtlMs: number;
}

export interface HoldBeginInput {
  idempotency: Idempotency;
  record: CommandRecord;
  now: number;
  /** Until when the reservation counts if the command's fate stays unknown. */
  reservedUntil: number;
}

/**
 * Returns the reply when the request was answered from its idempotency record; otherwise the
 * command is recorded and its live hold reserved (`recorded` false only on the rare path where
 * the cap had to be recounted). Throws 429 (rate limit, too many holds) and 422 (key reused).
 */
export type HoldBegin = (
  request: FastifyRequest,
  reply: FastifyReply,
  input: HoldBeginInput,
) => Promise<{ replied: FastifyReply } | { replied?: undefined; recorded: boolean }>;

export function createHoldBegin(redis: Redis, options: HoldBeginOptions): HoldBegin {
  type Scripted = Redis & { rushHoldBegin(...args: (string | number)[]): Promise<Answer> };
  if (!("rushHoldBegin" in redis)) redis.defineCommand("rushHoldBegin", { numberOfKeys: 4, lua: HOLD_BEGIN });
  const scripted = redis as Scripted;
  const { userLimit, liveHolds } = options;

  return async (request, reply, { idempotency, record, now, reservedUntil }) => {
    const { userId, sessionId, holdId } = record;
    const [verdict, count, ttlMs, fingerprint, response] = await scripted.rushHoldBegin(
      // A key in the buyer's slot even with limits off (Redis Cluster refuses keys across slots).
      userLimit?.key(userId) ?? `${RATE_LIMIT_PREFIX}${limitKeys.user("hold", userId)}`,
      idempotency.recordKey,
      liveHolds.keyOf(sessionId, userId),
      commandRecordKey(userId, idempotency.commandId),
      userLimit?.windowMs ?? 0,
      userLimit?.max ?? 0,
      idempotency.fingerprint,
      options.idempotencyTtlMs,
      now,
      holdId,
      reservedUntil,
      options.maxLiveHolds,
      JSON.stringify(record),
      options.recordTtlMs,
    );
    userLimit?.settle(request, reply, count, ttlMs);
    if (verdict === "replay") {
      const replied = replayOrGoOn(idempotency, reply, { created: false, fingerprint: fingerprint ?? null, response: response ?? null });
      // The script answers 'replay' only for a mismatch (thrown above) or a stored answer.
      if (replied) return { replied };
    }
    if (verdict !== "full") return { recorded: true };
    // At the cap: recount it against the hold read model (a hold may have ended) before refusing.
    if (!(await liveHolds.reserve(sessionId, userId, holdId, now, reservedUntil))) throw problems.tooManyHolds(options.maxLiveHolds);
    return { recorded: false };
  };
}

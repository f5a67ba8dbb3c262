import { redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";
import type { GateContext } from "../context.ts";

export interface Grant {
  sessionId: string;
  buyerId: string;
  holdId: string;
  orderId: string;
  expiresAt: number;
  now: number;
  /** The 201 to replay for the request's Idempotency-Key: its record and the stored answer. */
  idempotent: { recordKey: string; response: string };
}

/**
 * KEYS: the buyer's live-hold set, the order grant, the idempotency record (all in the buyer's slot).
 * ARGV: holdId, expiresAt, buyerId, grant ttl, stored response.
 * The live-hold entry is stretched only if it is still there (not refused, not released).
 */
const HOLD_GRANTED = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('PEXPIREAT', KEYS[1], math.max(tonumber(ARGV[2]), redis.call('PEXPIRETIME', KEYS[1])))
end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
redis.call('HSET', KEYS[3], 'response', ARGV[5])
return 1
`;

/**
 * Defines the grant script on the gate's client at start-up, with its other scripts. Never on
 * first use: under auto-pipelining (the gate ran with it until 4 Dec; any pipeline still can), a
 * pipeline opened before the definition lacks the command, and ioredis then throws outside any
 * promise (`results[i] is not iterable`): the gate crashed at the first grant of a load run, and
 * again at each restart.
 */
export function defineGrantScript(redis: Redis): void {
  if (!("rushHoldGranted" in redis)) redis.defineCommand("rushHoldGranted", { numberOfKeys: 3, lua: HOLD_GRANTED });
}

type Scripted = Redis & { rushHoldGranted(...args: (string | number)[]): Promise<number> };

/**
 * What a granted hold leaves behind, in one Redis call (it was three) sent before its 201 goes out:
 * the buyer's live-hold entry now lasts as long as the hold; the order the answer names is marked
 * as granted to this buyer (`order:grant:{<buyerId>}:<orderId>`), so a pay that outruns the order
 * service is told to retry, never 404; and the answer is stored for the Idempotency-Key.
 *
 * The answer does not wait for it (a round trip and a wake-up per hold): the live hold already
 * counts from its provisional reservation; a pay first waits for the order itself and asks for the
 * grant only after that wait, long after this call ran; and a replay that arrives before the
 * answer is stored asks the engine again, which dedupes it into the same answer. None of it
 * failing costs the buyer the hold.
 */
export async function recordGrant(ctx: Pick<GateContext, "redis" | "liveHolds">, grant: Grant): Promise<void> {
  const redis = ctx.redis as Scripted;
  const ttlMs = Math.max(1, grant.expiresAt - grant.now);
  await redis
    .rushHoldGranted(
      ctx.liveHolds.keyOf(grant.sessionId, grant.buyerId),
      redisKeys.orderGrant(grant.buyerId, grant.orderId),
      grant.idempotent.recordKey,
      grant.holdId,
      grant.expiresAt,
      grant.buyerId,
      ttlMs,
      grant.idempotent.response,
    )
    .catch(() => {
      // The hold stands; at worst its entry lapses early or an early pay waits for the order service.
    });
}

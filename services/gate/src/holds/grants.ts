import { redisKeys } from "@rush/contracts";
import type { GateContext } from "../context.ts";

export interface Grant {
  sessionId: string;
  buyerId: string;
  holdId: string;
  orderId: string;
  expiresAt: number;
  now: number;
}

/**
 * What a granted hold leaves behind before its 201 goes out: the buyer's live-hold entry now
 * lasts as long as the hold, and the order the answer names is marked as granted to this buyer
 * (`order:grant:<orderId>`), so a pay that outruns the order service is told to retry, never 404.
 * Both writes travel together (auto-pipelined); neither failing costs the buyer the hold.
 */
export async function recordGrant(ctx: Pick<GateContext, "redis" | "liveHolds">, grant: Grant): Promise<void> {
  const ttlMs = Math.max(1, grant.expiresAt - grant.now);
  await Promise.all([
    ctx.liveHolds.granted(grant.sessionId, grant.buyerId, grant.holdId, grant.expiresAt),
    ctx.redis.set(redisKeys.orderGrant(grant.orderId), grant.buyerId, "PX", ttlMs),
  ]).catch(() => {
    // The hold stands; at worst its entry lapses early or an early pay waits for the order service.
  });
}

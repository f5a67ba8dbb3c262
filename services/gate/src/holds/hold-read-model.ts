import { AreaId, HoldView, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";
import { z } from "zod";

/** `hold:<holdId>` as the ticket actors write it: the engine's HoldView plus where the hold lives. */
export const StoredHold = HoldView.extend({ sessionId: z.string(), areaId: AreaId });
export type StoredHold = z.infer<typeof StoredHold>;

/** The hold's current view, or `undefined` when the read model does not know it. */
export async function readHold(redis: Redis, holdId: string): Promise<StoredHold | undefined> {
  const text = await redis.get(redisKeys.hold(holdId));
  if (!text) return undefined;
  const parsed = StoredHold.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`hold read model ${holdId} breaks its contract: ${parsed.error.message}`);
  return parsed.data;
}

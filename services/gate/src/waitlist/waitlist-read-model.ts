import { type WaitlistEntryView, type WaitlistRecord, orderIdForHold, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";
import { readHold } from "../holds/hold-read-model.ts";
import { isoOf } from "../holds/hold-outcome.ts";

/**
 * A buyer's places on a session's waiting lists, from the read model the seat actors write
 * (`wl:{session}:…`): a waiting entry's position is its rank in the area's list; an offered
 * one is told apart by its hold (held = offered, sold = bought, anything else = lapsed).
 */
export async function readWaitlist(redis: Redis, sessionId: string, buyerId: string, now: number): Promise<WaitlistEntryView[]> {
  const keys = redisKeys.waitlist(sessionId);
  const stored = await redis.hgetall(keys.buyer(buyerId));
  const records = Object.values(stored).map((text) => JSON.parse(text) as WaitlistRecord);
  const views = await Promise.all(
    records.map(async (record): Promise<WaitlistEntryView | undefined> => {
      const base = { entryId: record.entryId, areaId: record.areaId, quantity: record.quantity };
      if (record.status === "waiting") {
        const rank = await redis.zrank(keys.queue(record.areaId), buyerId);
        return rank === null ? undefined : { ...base, status: "waiting", position: rank + 1 };
      }
      const hold = await readHold(redis, record.entryId);
      const offer = { holdId: record.entryId, orderId: orderIdForHold(record.entryId), seatIds: record.seatIds ?? [] };
      if (hold?.status === "sold") return { ...base, ...offer, status: "bought" };
      const live = hold?.status === "held" && (hold.expiresAt ?? 0) > now;
      return live ? { ...base, ...offer, status: "offered", expiresAt: isoOf(hold.expiresAt!) } : { ...base, ...offer, status: "lapsed" };
    }),
  );
  return views.filter((view) => view !== undefined).sort((a, b) => (a.areaId < b.areaId ? -1 : a.areaId > b.areaId ? 1 : 0));
}

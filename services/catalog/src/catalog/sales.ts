import { type SessionSales, redisKeys } from "@rush/contracts";
import { type Database, orders } from "@rush/db";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { GetAvailability } from "./availability.ts";

export type GetSales = (sessionId: string, currency: string) => Promise<SessionSales>;

/** Buyers in the queue past the admission cursor (the gate advances it as people ask). */
async function waitingRoomLength(redis: Redis, sessionId: string): Promise<number> {
  const keys = redisKeys.waitingRoom(sessionId);
  const [queued, cursor] = await Promise.all([redis.zcard(keys.queue), redis.hget(keys.admission, "cursor")]);
  return Math.max(0, queued - Math.floor(Number(cursor ?? 0)));
}

/**
 * A session's sales for its organizer: seat counts from the read model (as buyers see them),
 * revenue and completed orders from Postgres, the pace of holds (orders opened in the last
 * minute) and the waiting room's length from Redis.
 */
export function createSales(deps: { db: Database; redis: Redis; availability: GetAvailability; clock: () => number }): GetSales {
  return async (sessionId, currency) => {
    const now = deps.clock();
    const [availability, [completed], [recent], waiting] = await Promise.all([
      deps.availability(sessionId),
      deps.db
        .select({ orders: count(), amount: sql<string>`coalesce(sum(${orders.totalAmount}), 0)::numeric(12,2)::text` })
        .from(orders)
        .where(and(eq(orders.sessionId, sessionId), eq(orders.status, "completed"))),
      deps.db
        .select({ holds: count() })
        .from(orders)
        .where(and(eq(orders.sessionId, sessionId), gt(orders.createdAt, new Date(now - 60_000)))),
      waitingRoomLength(deps.redis, sessionId),
    ]);
    return {
      ...availability,
      revenue: { amount: completed?.amount ?? "0.00", currency },
      ordersCompleted: completed?.orders ?? 0,
      holdsPerMinute: recent?.holds ?? 0,
      waitingRoomLength: waiting,
      at: new Date(now).toISOString(),
    };
  };
}

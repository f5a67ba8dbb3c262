import type { Money } from "@rush/contracts";
import { type Database, priceCategories } from "@rush/db";
import { eq } from "drizzle-orm";
import { normalizeAmount } from "./money.ts";

/** A seat's price in a session's area, from the session's price categories (area → price). */
export interface PriceBook {
  priceOf(sessionId: string, areaId: string): Promise<Money | undefined>;
}

/** Reads a session's categories once per `ttlMs`: a flash sale prices thousands of holds of one session. */
export function createPriceBook(db: Database, options: { ttlMs: number; now?: () => number }): PriceBook {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { prices: Map<string, Money>; until: number }>();
  const load = async (sessionId: string) => {
    const rows = await db.select().from(priceCategories).where(eq(priceCategories.sessionId, sessionId));
    const prices = new Map<string, Money>();
    for (const row of rows) {
      for (const areaId of row.areaIds) prices.set(areaId, { amount: normalizeAmount(row.amount), currency: row.currency });
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(sessionId, { prices, until: now() + options.ttlMs });
    return prices;
  };
  return {
    async priceOf(sessionId, areaId) {
      const hit = cache.get(sessionId);
      const prices = hit && hit.until > now() && hit.prices.has(areaId) ? hit.prices : await load(sessionId);
      return prices.get(areaId);
    },
  };
}

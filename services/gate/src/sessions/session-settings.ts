import { type Database, priceCategories, sessions } from "@rush/db";
import type { Money, SessionStatus } from "@rush/contracts";
import { eq } from "drizzle-orm";
import { z } from "zod";

/** What the gate needs to know of a session to sell it. */
export interface SessionSettings {
  id: string;
  /** Only `on_sale` sells; a `cancelled` one never again. */
  status: SessionStatus;
  saleStartsAt: Date;
  saleEndsAt: Date;
  holdTtlMs: number;
  maxSeatsPerHold: number;
  maxSeatsPerBuyer: number;
  waitingRoom: { enabled: boolean; admitPerSecond: number; shuffle?: boolean } | null;
  /** Price of a seat by area id. */
  prices: ReadonlyMap<string, Money>;
}

// The catalog writes this jsonb; read it leniently and treat anything unusable as "no waiting room".
const WaitingRoomJson = z.object({
  enabled: z.boolean(),
  admitPerSecond: z.number().positive(),
  shuffle: z.boolean().optional(),
});

export interface SessionSettingsStore {
  /** The session's settings, or `undefined` if there is no such session. Cached briefly. */
  get(sessionId: string): Promise<SessionSettings | undefined>;
}

async function load(db: Database, sessionId: string): Promise<SessionSettings | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId)).limit(1);
  if (!row) return undefined;
  const categories = await db.select().from(priceCategories).where(eq(priceCategories.sessionId, sessionId));
  const prices = new Map<string, Money>();
  for (const category of categories) {
    for (const areaId of category.areaIds) prices.set(areaId, { amount: category.amount, currency: category.currency });
  }
  const room = WaitingRoomJson.safeParse(row.waitingRoom);
  return {
    id: row.id,
    status: row.status,
    saleStartsAt: row.saleStartsAt,
    saleEndsAt: row.saleEndsAt,
    holdTtlMs: row.holdTtlSeconds * 1000,
    maxSeatsPerHold: row.maxSeatsPerHold,
    maxSeatsPerBuyer: row.maxSeatsPerBuyer,
    waitingRoom: room.success && room.data.enabled ? room.data : null,
    prices,
  };
}

/**
 * Session settings from Postgres, each kept `ttlMs` (a flash sale reads the same session
 * thousands of times a second); concurrent misses share one query. Unknown ids are cached too,
 * so a flood of made-up ids does not reach Postgres.
 */
export function createSessionSettingsStore(db: Database, options: { ttlMs: number; now: () => number }): SessionSettingsStore {
  const cache = new Map<string, { value: SessionSettings | undefined; until: number }>();
  const loading = new Map<string, Promise<SessionSettings | undefined>>();
  return {
    async get(sessionId) {
      const now = options.now();
      const hit = cache.get(sessionId);
      if (hit && hit.until > now) return hit.value;
      const pending = loading.get(sessionId);
      if (pending) return pending;
      const promise = load(db, sessionId)
        .then((value) => {
          if (cache.size > 10_000) cache.clear();
          cache.set(sessionId, { value, until: options.now() + options.ttlMs });
          return value;
        })
        .finally(() => loading.delete(sessionId));
      loading.set(sessionId, promise);
      return promise;
    },
  };
}

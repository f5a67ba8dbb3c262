import { type Database, sessions } from "@rush/db";
import { eq } from "drizzle-orm";
import { z } from "zod";

const WaitingRoomJson = z.object({ enabled: z.boolean(), admitPerSecond: z.number().positive() });

/** What the live feeds need of a session: that it exists, and its waiting room if one is on. */
export interface SessionInfo {
  saleStartsAt: number;
  room: { admitPerSecond: number } | null;
}

export interface SessionLookup {
  /** `null` for a session that does not exist. */
  get(sessionId: string): Promise<SessionInfo | null>;
  readonly size: number;
}

/**
 * Sessions read from Postgres, cached for `ttlMs` (misses too, so made-up ids cost one query
 * each at most per TTL) in at most `maxEntries` entries, oldest dropped first; concurrent reads
 * of one id share one query. Bounded: a socket sending random ids cannot grow it without limit.
 */
export function createSessionLookup(db: Database, options: { ttlMs: number; maxEntries: number; now?: () => number }): SessionLookup {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { info: SessionInfo | null; until: number }>();
  const inFlight = new Map<string, Promise<SessionInfo | null>>();

  const read = async (sessionId: string): Promise<SessionInfo | null> => {
    const [row] = await db.select({ saleStartsAt: sessions.saleStartsAt, waitingRoom: sessions.waitingRoom }).from(sessions).where(eq(sessions.id, sessionId));
    if (!row) return null;
    const room = WaitingRoomJson.safeParse(row.waitingRoom);
    return { saleStartsAt: row.saleStartsAt.getTime(), room: room.success && room.data.enabled ? { admitPerSecond: room.data.admitPerSecond } : null };
  };

  return {
    get size() {
      return cache.size;
    },
    async get(sessionId) {
      const hit = cache.get(sessionId);
      if (hit && hit.until > now()) return hit.info;
      const pending = inFlight.get(sessionId);
      if (pending) return pending;
      const reading = read(sessionId).then(
        (info) => {
          inFlight.delete(sessionId);
          cache.delete(sessionId); // re-inserted last: Map order is the eviction order
          cache.set(sessionId, { info, until: now() + options.ttlMs });
          while (cache.size > options.maxEntries) cache.delete(cache.keys().next().value!);
          return info;
        },
        (error: unknown) => {
          inFlight.delete(sessionId);
          throw error;
        },
      );
      inFlight.set(sessionId, reading);
      return reading;
    },
  };
}

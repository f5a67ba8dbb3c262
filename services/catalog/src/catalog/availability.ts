import { type Availability, type AreaSummary, redisKeys, seatStatusFor } from "@rush/contracts";
import type { Database } from "@rush/db";
import type { Redis } from "ioredis";
import { notFound } from "./ownership.ts";
import { findSession } from "./sessions.ts";
import { findVenueSummary } from "./venues.ts";

type Counts = { total: number; available: number; held: number; sold: number; blocked: number };
const SCAN_PAGE = 2000;
const zero = (total = 0): Counts => ({ total, available: 0, held: 0, sold: 0, blocked: 0 });

function add(into: Counts, from: Counts): void {
  into.total += from.total;
  into.available += from.available;
  into.held += from.held;
  into.sold += from.sold;
  into.blocked += from.blocked;
}

/** Per-area status counts; `add` takes one read-model entry (seatId → `a`|`b`|`s`|`h:<buyer>`). */
export function areaCounter(): { add(seatId: string, value: string): void; counts: Map<string, Counts> } {
  const counts = new Map<string, Counts>();
  return {
    counts,
    add(seatId, value) {
      const areaId = seatId.slice(0, seatId.indexOf("-"));
      let area = counts.get(areaId);
      if (!area) {
        area = zero();
        counts.set(areaId, area);
      }
      const status = seatStatusFor(value);
      if (status !== "mine") area[status]++;
    },
  };
}

/**
 * Reads the whole seat map read model in HSCAN pages rather than one HGETALL: for 100,000 seats
 * HGETALL blocks Redis (which is serving the sale's holds) and then this event loop (~70 ms
 * parsing one reply); pages of 2,000 keep both responsive. HSCAN may repeat a key while the
 * hash is rehashed, so keys are counted once.
 */
export async function scanSeatMap(redis: Redis, sessionId: string, onSeat: (seatId: string, value: string) => void): Promise<void> {
  const seen = new Set<string>();
  let cursor = "0";
  do {
    const [next, flat] = await redis.hscan(redisKeys.seatMap(sessionId), cursor, "COUNT", SCAN_PAGE);
    for (let i = 0; i < flat.length; i += 2) {
      const seatId = flat[i]!;
      if (seen.has(seatId)) continue;
      seen.add(seatId);
      onSeat(seatId, flat[i + 1]!);
    }
    cursor = next;
  } while (cursor !== "0");
}

export type GetAvailability = (sessionId: string) => Promise<Availability>;

/**
 * Availability per area and price category, joined from Postgres (areas, categories) and the
 * seat map read model the ticket actors keep in Redis. A flash sale polls this hard, so each
 * session's answer is computed at most once per `cacheMs` per process (one scan of the read model).
 */
export function createAvailability(deps: { db: Database; redis: Redis; cacheMs?: number; clock: () => number }): GetAvailability {
  const cacheMs = deps.cacheMs ?? 2000;
  const cache = new Map<string, { at: number; value: Promise<Availability> }>();

  async function compute(sessionId: string): Promise<Availability> {
    const session = await findSession(deps.db, sessionId);
    if (!session) throw notFound("session", sessionId);
    const venue = await findVenueSummary(deps.db, session.venueId);
    const counter = areaCounter();
    const [version] = await Promise.all([deps.redis.get(redisKeys.seatMapVersion(sessionId)), scanSeatMap(deps.redis, sessionId, counter.add)]);
    const counted = counter.counts;
    const categoryOf = new Map<string, string>();
    for (const c of session.priceCategories) for (const areaId of c.areaIds) categoryOf.set(areaId, c.id);
    const perCategory = new Map(session.priceCategories.map((c) => [c.id, zero()]));
    const totals = zero();
    const areas = ((venue?.areas ?? []) as AreaSummary[]).map((area) => {
      const counts = { ...(counted.get(area.id) ?? zero()), total: area.seatCount };
      const priceCategoryId = categoryOf.get(area.id) ?? null;
      if (priceCategoryId) add(perCategory.get(priceCategoryId)!, counts);
      add(totals, counts);
      return { id: area.id, name: area.name, priceCategoryId, ...counts };
    });
    return {
      sessionId,
      status: session.status,
      version: Number(version ?? 0),
      totals,
      areas,
      priceCategories: session.priceCategories.map((c) => ({ id: c.id, name: c.name, price: c.price, ...perCategory.get(c.id)! })),
    };
  }

  return (sessionId) => {
    const now = deps.clock();
    const hit = cache.get(sessionId);
    if (hit && now - hit.at < cacheMs) return hit.value;
    const value = compute(sessionId);
    cache.set(sessionId, { at: now, value });
    // Failures are not cached; and the cache never outgrows the sessions asked about recently.
    value.catch(() => cache.delete(sessionId));
    if (cache.size > 10_000) for (const [id, entry] of cache) if (now - entry.at >= cacheMs) cache.delete(id);
    return value;
  };
}

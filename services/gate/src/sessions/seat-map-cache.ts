import { parseSeatId, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/** One version of a session's seat map, sorted for display: areas, then rows, then numbers. */
export interface SeatMapSnapshot {
  version: number;
  areas: { id: string; seats: { id: string; row: string; number: number; code: string }[] }[];
  /** Buyers holding seats in this version: everyone else sees the same map. */
  holders: ReadonlySet<string>;
}

const collator = new Intl.Collator("en", { numeric: true });

export function groupSeatMap(version: number, hash: Record<string, string>): SeatMapSnapshot {
  const byArea = new Map<string, { id: string; row: string; number: number; code: string }[]>();
  const holders = new Set<string>();
  for (const [id, code] of Object.entries(hash)) {
    if (code.startsWith("h:")) holders.add(code.slice(2));
    const parts = parseSeatId(id);
    if (!parts) continue;
    const seats = byArea.get(parts.areaId) ?? [];
    if (seats.length === 0) byArea.set(parts.areaId, seats);
    seats.push({ id, row: parts.row, number: parts.number, code });
  }
  const areas = [...byArea.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([id, seats]) => ({
      id,
      seats: seats.sort((a, b) => collator.compare(a.row, b.row) || a.number - b.number),
    }));
  return { version, areas, holders };
}

/**
 * The seat map read model (`seatmap:{<sessionId>}`, written by the ticket actors), re-read only
 * when its version moves: a flash sale's thousands of seat-map polls per second cost one GET
 * each, not a whole HGETALL.
 */
export function createSeatMapCache(redis: Redis) {
  const cache = new Map<string, SeatMapSnapshot>();
  const loading = new Map<string, Promise<SeatMapSnapshot>>();

  const load = async (sessionId: string): Promise<SeatMapSnapshot> => {
    // Version first: a map read after it is at least as new, so the cache never goes backwards.
    const [[, versionText], [, hash]] = (await redis
      .multi()
      .get(redisKeys.seatMapVersion(sessionId))
      .hgetall(redisKeys.seatMap(sessionId))
      .exec()) as [[unknown, string | null], [unknown, Record<string, string>]];
    const snapshot = groupSeatMap(Number(versionText ?? 0), hash);
    if (cache.size > 1000) cache.clear();
    cache.set(sessionId, snapshot);
    return snapshot;
  };

  return {
    async get(sessionId: string): Promise<SeatMapSnapshot> {
      const version = Number((await redis.get(redisKeys.seatMapVersion(sessionId))) ?? 0);
      const cached = cache.get(sessionId);
      if (cached && cached.version >= version && version > 0) return cached;
      const running = loading.get(sessionId);
      if (running) return running;
      const promise = load(sessionId).finally(() => loading.delete(sessionId));
      loading.set(sessionId, promise);
      return promise;
    },
  };
}

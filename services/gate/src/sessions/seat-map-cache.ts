import { parseSeatId, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/**
 * A session's seats in display order (areas, then rows, then numbers). A session's seats do not
 * change once it is published, so the order is worked out once and reused by every version:
 * sorting 20,000 ids with a numeric collator on every version was most of a seat-map read.
 */
export interface SeatLayout {
  /** Seat ids in display order. */
  ids: readonly string[];
  /** Each seat's row and number, as `ids` (the sparse format names seats by them). */
  seats: readonly { row: string; number: number }[];
  /** Areas in display order, each the range `[from, to)` of `ids`. */
  areas: readonly { id: string; from: number; to: number }[];
  /** Position of a seat id in `ids`. */
  index: ReadonlyMap<string, number>;
}

/** One version of a session's seat map: a read-model code per seat of the layout. */
export interface SeatMapSnapshot {
  version: number;
  /** When its read began (the gate's clock). */
  takenAt: number;
  layout: SeatLayout;
  /** `codes[i]` is the read-model value (`a`, `s`, `b`, `h:<buyer>`) of `layout.ids[i]`. */
  codes: readonly string[];
  /** Buyers holding seats in this version: everyone else sees the same map. */
  holders: ReadonlySet<string>;
}

const collator = new Intl.Collator("en", { numeric: true });

/** The display order of these seat ids; ids that are not seat ids are left out. */
export function layoutOf(seatIds: Iterable<string>): SeatLayout {
  const byArea = new Map<string, { id: string; row: string; number: number }[]>();
  for (const id of seatIds) {
    const parts = parseSeatId(id);
    if (!parts) continue;
    const seats = byArea.get(parts.areaId) ?? [];
    if (seats.length === 0) byArea.set(parts.areaId, seats);
    seats.push({ id, row: parts.row, number: parts.number });
  }
  const ids: string[] = [];
  const ordered: { row: string; number: number }[] = [];
  const areas: { id: string; from: number; to: number }[] = [];
  for (const [areaId, seats] of [...byArea].sort(([a], [b]) => collator.compare(a, b))) {
    seats.sort((a, b) => collator.compare(a.row, b.row) || a.number - b.number);
    const from = ids.length;
    for (const seat of seats) {
      ids.push(seat.id);
      ordered.push({ row: seat.row, number: seat.number });
    }
    areas.push({ id: areaId, from, to: ids.length });
  }
  return { ids, seats: ordered, areas, index: new Map(ids.map((id, i) => [id, i])) };
}

/**
 * A snapshot of the read-model hash (its `HGETALL` reply as it comes: field, value, field, …) in
 * `layout`'s order when the hash holds exactly its seats (one map lookup per seat); otherwise
 * the layout is worked out again from the hash.
 */
export function snapshotOf(version: number, entries: readonly string[], layout?: SeatLayout, takenAt = 0): SeatMapSnapshot {
  if (layout) {
    const codes = new Array<string>(layout.ids.length);
    const holders = new Set<string>();
    let matched = 0;
    let fits = true;
    for (let i = 0; i < entries.length && fits; i += 2) {
      const id = entries[i]!;
      const at = layout.index.get(id);
      if (at === undefined) {
        // A seat the layout lacks means a new layout; anything else in the hash is not a seat.
        if (parseSeatId(id)) fits = false;
        continue;
      }
      const code = entries[i + 1]!;
      codes[at] = code;
      if (code.charCodeAt(0) === 104 /* h */) holders.add(code.slice(2));
      matched++;
    }
    if (fits && matched === layout.ids.length) return { version, takenAt, layout, codes, holders };
  }
  return snapshotOf(version, entries, layoutOf(entries.filter((_, i) => i % 2 === 0)), takenAt);
}

/**
 * HGETALL as Redis sends it (field, value, …): ioredis turns a lower-case `hgetall` reply into an
 * object, which for 20,000 fields cost more than everything else a seat-map read does. Not a Lua
 * script: Redis spends ~3× as long building and converting a 40,000-entry Lua table, and it is
 * the same Redis the seat engine's fences use.
 */
const HGETALL_FLAT = "HGETALL";

export interface SeatMapCacheOptions {
  /**
   * How long a snapshot is served after the map moved on. Re-reading a 20,000-seat hash costs
   * the gate ~30 ms of CPU (Redis's reply alone) and Redis a few ms; in a sale the version moves
   * between nearly every two reads, so without a bound every watcher's poll paid it. 0: always fresh.
   */
  refreshMs: number;
  now: () => number;
}

/**
 * The seat map read model (`seatmap:{<sessionId>}`, written by the ticket actors). A read costs
 * one GET of the version; the hash is read again when the version moved and the snapshot is
 * older than `refreshMs` — or when the caller says the snapshot may lack something it must show
 * (`stale`: a buyer's own hold granted after it was taken, so what the API just said is seen).
 * A re-read reuses the session's layout.
 */
export function createSeatMapCache(redis: Redis, options: SeatMapCacheOptions = { refreshMs: 0, now: Date.now }) {
  const cache = new Map<string, SeatMapSnapshot>();
  /** The read in flight per session, with when it began: a caller may join it only if it began after they asked. */
  const loading = new Map<string, { since: number; promise: Promise<SeatMapSnapshot> }>();

  const load = async (sessionId: string): Promise<SeatMapSnapshot> => {
    const takenAt = options.now();
    // Version first: a map read after it is at least as new, so the cache never goes backwards.
    const [[, versionText], [, entries]] = (await redis
      .multi()
      .get(redisKeys.seatMapVersion(sessionId))
      .call(HGETALL_FLAT, redisKeys.seatMap(sessionId))
      .exec()) as [[unknown, string | null], [unknown, string[]]];
    const snapshot = snapshotOf(Number(versionText ?? 0), entries, cache.get(sessionId)?.layout, takenAt);
    if (cache.size > 1000) cache.clear();
    cache.set(sessionId, snapshot);
    return snapshot;
  };

  const shared = (sessionId: string, since: number): Promise<SeatMapSnapshot> => {
    const running = loading.get(sessionId);
    if (running && running.since >= since) return running.promise;
    const entry = { since: options.now(), promise: load(sessionId) };
    entry.promise.finally(() => {
      if (loading.get(sessionId) === entry) loading.delete(sessionId);
    }).catch(() => {});
    loading.set(sessionId, entry);
    return entry.promise;
  };

  return {
    async get(sessionId: string, stale?: (snapshot: SeatMapSnapshot) => Promise<boolean>): Promise<SeatMapSnapshot> {
      const asked = options.now();
      const version = Number((await redis.get(redisKeys.seatMapVersion(sessionId))) ?? 0);
      const cached = cache.get(sessionId);
      if (cached && cached.version >= version && version > 0) return cached;
      if (cached && asked - cached.takenAt < options.refreshMs) {
        if (!(await stale?.(cached))) return cached;
        // A read that began before this caller asked may miss what they must see; one begun
        // since is fresh enough for them, and for every other such caller of the moment.
        return shared(sessionId, asked);
      }
      return shared(sessionId, Number.NEGATIVE_INFINITY);
    },

    /**
     * `snapshot` with `viewer`'s own seats in it as they are now (one HMGET of those seats): what
     * they did to them since (paid, released, let expire) shows at once, while the rest of the map
     * stays the shared one. Re-reading all 20,000 seats for every holder's look instead was the
     * gate's biggest cost in a sale after the polls. `snapshot` itself is not changed.
     */
    async withOwnSeats(sessionId: string, snapshot: SeatMapSnapshot, viewer: string): Promise<SeatMapSnapshot> {
      const mine = `h:${viewer}`;
      const at: number[] = [];
      snapshot.codes.forEach((code, i) => {
        if (code === mine) at.push(i);
      });
      if (at.length === 0) return snapshot;
      const now = await redis.hmget(redisKeys.seatMap(sessionId), ...at.map((i) => snapshot.layout.ids[i]!));
      const codes = snapshot.codes.slice();
      at.forEach((i, k) => {
        codes[i] = now[k] ?? "a";
      });
      return { ...snapshot, codes };
    },
  };
}

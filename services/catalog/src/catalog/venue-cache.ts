import { createHash } from "node:crypto";
import type { VenueView } from "@rush/contracts";

/** A venue serialised once: its JSON and an entity tag. */
export interface CachedVenue {
  json: string;
  etag: string;
}

/**
 * Venues never change once created, and a 100,000-seat map is ~5 MB of JSON that would take
 * hundreds of milliseconds of this event loop to serialise for every buyer opening the seat
 * map. So each venue is serialised once and kept, least recently used first out, within a
 * byte budget.
 */
export function createVenueCache(
  load: (id: string) => Promise<VenueView | undefined>,
  options: { maxBytes?: number; serialize?: (venue: VenueView) => string } = {},
) {
  const maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
  const serialize = options.serialize ?? JSON.stringify;
  const entries = new Map<string, CachedVenue>();
  let bytes = 0;
  return async (id: string): Promise<CachedVenue | undefined> => {
    const hit = entries.get(id);
    if (hit) {
      entries.delete(id);
      entries.set(id, hit);
      return hit;
    }
    const venue = await load(id);
    if (!venue) return undefined;
    const json = serialize(venue);
    const entry = { json, etag: `"${createHash("sha1").update(json).digest("base64url")}"` };
    entries.set(id, entry);
    bytes += json.length;
    for (const [oldId, old] of entries) {
      if (bytes <= maxBytes || oldId === id) break;
      entries.delete(oldId);
      bytes -= old.json.length;
    }
    return entry;
  };
}

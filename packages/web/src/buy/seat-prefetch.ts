import type { SeatMapView } from "@rush/contracts";
import { getSeats } from "../api/endpoints.ts";

/** A prefetched answer older than this is not used: the map reads the seats afresh. */
const FRESH_MS = 5000;
const pending = new Map<string, { at: number; seats: Promise<SeatMapView> }>();

/**
 * Asks for the seats while the session itself is still on its way (the seat states need only
 * the session id), so the map waits for one round trip fewer on a slow link.
 */
export function prefetchSeats(sessionId: string): void {
  if (pending.has(sessionId)) return;
  const seats = getSeats(sessionId);
  seats.catch(() => pending.delete(sessionId));
  pending.set(sessionId, { at: Date.now(), seats });
}

/** The prefetched seats if fresh (each prefetch is used once), else a new read. */
export function takeSeats(sessionId: string): Promise<SeatMapView> {
  const hit = pending.get(sessionId);
  pending.delete(sessionId);
  return hit && Date.now() - hit.at < FRESH_MS ? hit.seats : getSeats(sessionId);
}

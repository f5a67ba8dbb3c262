import type { SeatMapSparseView } from "@rush/contracts";
import { getSeats } from "../api/endpoints.ts";
import { takeBoot } from "../app/boot.ts";

/** A prefetched answer older than this is not used: the map reads the seats afresh. */
const FRESH_MS = 5000;

/** Seat states for the map; `anonymous`: read without the buyer's token, so their own holds show as `held`. */
export interface TakenSeats {
  seats: Promise<SeatMapSparseView>;
  anonymous: boolean;
}

const pending = new Map<string, { at: number } & TakenSeats>();

/**
 * Asks for the seats while the session itself is still on its way (the seat states need only
 * the session id), so the map waits for one round trip fewer on a slow link.
 */
export function prefetchSeats(sessionId: string): void {
  if (pending.has(sessionId)) return;
  const seats = getSeats(sessionId);
  seats.catch(() => pending.delete(sessionId));
  pending.set(sessionId, { at: Date.now(), seats, anonymous: false });
}

/** The seats the page's HTML carried, else the prefetched ones if fresh (each used once), else a new read. */
export function takeSeats(sessionId: string): TakenSeats {
  const boot = takeBoot("seats", sessionId);
  if (boot) return { seats: Promise.resolve(boot), anonymous: true };
  const hit = pending.get(sessionId);
  pending.delete(sessionId);
  return hit && Date.now() - hit.at < FRESH_MS ? hit : { seats: getSeats(sessionId), anonymous: false };
}

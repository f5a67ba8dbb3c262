import type { SeatStatus } from "@rush/contracts";
import { findArea, type PartitionState } from "./state.ts";

/** Seat counts of one session's area. */
export interface AreaStats {
  readonly seats: number;
  readonly available: number;
  readonly held: number;
  readonly sold: number;
  readonly blocked: number;
  readonly liveHolds: number;
}

/** Counts for an area, or undefined if it is not loaded. O(seats). */
export function areaStats(state: PartitionState, sessionId: string, areaId: string): AreaStats | undefined {
  const area = findArea(state, sessionId, areaId);
  if (area === undefined) return undefined;
  const counts = { available: 0, held: 0, sold: 0, blocked: 0 };
  for (const slot of area.seats.values()) counts[slot.status]++;
  return { seats: area.seats.size, ...counts, liveHolds: area.holds.size };
}

/** One seat's status and the hold that holds or bought it; undefined for an unknown seat or area. */
export function seatState(
  state: PartitionState,
  sessionId: string,
  areaId: string,
  seatId: string,
): { readonly status: SeatStatus; readonly holdId: string | null } | undefined {
  const slot = findArea(state, sessionId, areaId)?.seats.get(seatId);
  return slot === undefined ? undefined : { status: slot.status, holdId: slot.holdId };
}

/** Every seat of an area with its status, in venue order (front row first): a seat map's first paint. */
export function seatMap(
  state: PartitionState,
  sessionId: string,
  areaId: string,
): { readonly seatId: string; readonly row: string; readonly number: number; readonly status: SeatStatus }[] {
  const area = findArea(state, sessionId, areaId);
  if (area === undefined) return [];
  return area.rows.flatMap((row) =>
    row.seats.map((slot) => ({ seatId: slot.id, row: row.label, number: slot.number, status: slot.status })),
  );
}

import { randomUUID } from "node:crypto";
import type { LoadInventory, SeatAreaConfig, SeatDefinition } from "@rush/contracts";

/** Seats of a rectangular area: rows 1..rows, numbers 1..perRow, front row first. */
export function gridSeats(areaId: string, rows: number, perRow: number): SeatDefinition[] {
  const seats: SeatDefinition[] = [];
  for (let r = 1; r <= rows; r++) {
    for (let n = 1; n <= perRow; n++) seats.push({ id: `${areaId}-${r}-${n}`, row: String(r), number: n });
  }
  return seats;
}

export const TEST_AREA_CONFIG: SeatAreaConfig = {
  holdTtlMs: 60_000,
  maxSeatsPerHold: 8,
  maxSeatsPerBuyer: 1_000,
  maxHoldExtensionMs: 120_000,
};

export function loadInventory(
  sessionId: string,
  areaId: string,
  seats: SeatDefinition[],
  config: SeatAreaConfig = TEST_AREA_CONFIG,
): LoadInventory {
  return { type: "LoadInventory", commandId: `load:${sessionId}:${areaId}:${randomUUID()}`, sessionId, areaId, now: Date.now(), seats, config };
}

import type { EndedHold, AreaState, RowState, SeatSlot } from "./state.ts";
import type { SeatAreaConfig, SeatStatus } from "@rush/contracts";
import { SeatInvariantError } from "./errors.ts";

/**
 * The only code that mutates an area. `evolve` and `fromSnapshot` both build on it, so the
 * derived counters (available seats per row and area, seats per buyer) stay right.
 */

export function createArea(sessionId: string, areaId: string, config: SeatAreaConfig): AreaState {
  return {
    sessionId,
    areaId,
    config,
    seats: new Map(),
    rows: [],
    rowByLabel: new Map(),
    holds: new Map(),
    sold: new Map(),
    ended: new Map(),
    buyerSeats: new Map(),
    available: 0,
    waitlist: new Map(),
    waitlistSeq: 0,
    revision: 0,
  };
}

/** Adds seats that are new, as available; seats the area already has are left untouched. */
export function addSeats(area: AreaState, seats: Iterable<{ id: string; row: string; number: number }>): void {
  const touched = new Set<RowState>();
  for (const seat of seats) {
    if (area.seats.has(seat.id)) continue;
    let rowIndex = area.rowByLabel.get(seat.row);
    if (rowIndex === undefined) {
      rowIndex = area.rows.length;
      area.rows.push({ label: seat.row, seats: [], available: 0, centre: 0 });
      area.rowByLabel.set(seat.row, rowIndex);
    }
    const row = area.rows[rowIndex]!;
    const slot: SeatSlot = {
      id: seat.id,
      row: rowIndex,
      number: seat.number,
      index: -1,
      status: "available",
      holdId: null,
    };
    area.seats.set(seat.id, slot);
    row.seats.push(slot);
    row.available++;
    area.available++;
    touched.add(row);
  }
  for (const row of touched) {
    row.seats.sort((a, b) => a.number - b.number);
    row.seats.forEach((slot, i) => {
      slot.index = i;
    });
    row.centre = (row.seats[0]!.number + row.seats[row.seats.length - 1]!.number) / 2;
  }
}

export function requireSeat(area: AreaState, seatId: string): SeatSlot {
  const slot = area.seats.get(seatId);
  if (slot === undefined) throw new SeatInvariantError(`seat ${seatId} is not in area ${area.areaId}`);
  return slot;
}

/** Moves each seat from `from` (owned by `fromHold`) to `to` (owned by `toHold`); throws if one is elsewhere. */
export function moveSeats(
  area: AreaState,
  seatIds: readonly string[],
  from: SeatStatus,
  fromHold: string | null,
  to: SeatStatus,
  toHold: string | null,
): void {
  // Check every seat before touching any, so a bad event leaves the area as it was.
  for (const id of seatIds) {
    const slot = requireSeat(area, id);
    if (slot.status !== from || slot.holdId !== fromHold) {
      throw new SeatInvariantError(
        `seat ${id} is ${slot.status} (hold ${slot.holdId}), expected ${from} (hold ${fromHold})`,
      );
    }
  }
  const delta = (to === "available" ? 1 : 0) - (from === "available" ? 1 : 0);
  for (const id of seatIds) {
    const slot = area.seats.get(id)!;
    slot.status = to;
    slot.holdId = toHold;
    area.rows[slot.row]!.available += delta;
  }
  area.available += delta * seatIds.length;
}

export function addBuyerSeats(area: AreaState, buyerId: string, delta: number): void {
  const count = (area.buyerSeats.get(buyerId) ?? 0) + delta;
  if (count < 0) throw new SeatInvariantError(`buyer ${buyerId} would hold ${count} seats`);
  if (count === 0) area.buyerSeats.delete(buyerId);
  else area.buyerSeats.set(buyerId, count);
}

/** Remembers an ended hold id, forgetting the oldest beyond `limit` (FIFO, so replays agree). */
export function rememberEnded(area: AreaState, limit: number, entry: EndedHold): void {
  area.ended.set(entry.holdId, entry);
  while (area.ended.size > limit) {
    const oldest = area.ended.keys().next();
    if (oldest.done === true) break;
    area.ended.delete(oldest.value);
  }
}

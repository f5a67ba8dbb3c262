import { type AreaLayout, type SeatLayout, areaOfSeat } from "./layout.ts";
import { STATUS, type SeatStatuses } from "./seat-state.ts";

/** The seats a buyer has picked and not yet held: all in one area (a hold takes one area's seats). */
export interface Selection {
  readonly seats: readonly number[];
}

export const emptySelection: Selection = { seats: [] };

export type ToggleResult =
  | { ok: true; selection: Selection; picked: boolean }
  | { ok: false; reason: "not_available" | "limit" | "other_area" | "not_on_sale"; message: string };

/** Picks or unpicks a seat, refusing seats that are not free, a second area, or more than `limit`. */
export function toggleSeat(
  selection: Selection,
  layout: SeatLayout,
  statuses: SeatStatuses,
  seat: number,
  limit: number,
  describe: (seat: number) => string,
): ToggleResult {
  if (selection.seats.includes(seat)) {
    return { ok: true, picked: false, selection: { seats: selection.seats.filter((s) => s !== seat) } };
  }
  const status = statuses.codes[seat];
  if (status === STATUS.none) return { ok: false, reason: "not_on_sale", message: `${describe(seat)} is not on sale.` };
  if (status === STATUS.mine) return { ok: false, reason: "not_available", message: `${describe(seat)} is already held by you.` };
  if (status !== STATUS.available) {
    const why = status === STATUS.sold ? "already sold" : "held by another buyer right now";
    return { ok: false, reason: "not_available", message: `${describe(seat)} is ${why}. Pick an available seat.` };
  }
  const first = selection.seats[0];
  if (first !== undefined && areaOfSeat(layout, first) !== areaOfSeat(layout, seat)) {
    const area: AreaLayout = areaOfSeat(layout, first);
    return { ok: false, reason: "other_area", message: `One hold takes seats of one area: your picks are in ${area.name}. Clear them to pick elsewhere.` };
  }
  if (selection.seats.length >= limit) {
    return { ok: false, reason: "limit", message: `You can pick at most ${limit} seat${limit === 1 ? "" : "s"} at once.` };
  }
  return { ok: true, picked: true, selection: { seats: [...selection.seats, seat] } };
}

/** Drops picked seats that someone else just took; returns what is left and what was lost. */
export function pruneSelection(selection: Selection, statuses: SeatStatuses): { selection: Selection; lost: number[] } {
  const lost = selection.seats.filter((s) => statuses.codes[s] !== STATUS.available);
  if (lost.length === 0) return { selection, lost };
  return { selection: { seats: selection.seats.filter((s) => !lost.includes(s)) }, lost };
}

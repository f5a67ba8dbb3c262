import type { PriceCategory } from "@rush/contracts";
import { formatMoney } from "../format/money.ts";
import { type SeatLayout, areaOfSeat } from "./layout.ts";
import { STATUS_WORDS, categoryShape } from "./palette.ts";
import type { SeatStatuses, StatusCode } from "./seat-state.ts";

/** "Section 101, row 3, seat 17": where a seat is, in words. */
export function seatName(layout: SeatLayout, seat: number): string {
  const area = areaOfSeat(layout, seat);
  const row = layout.rows[layout.row[seat]!]!;
  return `${area.name}, row ${row.label}, seat ${layout.number[seat]}`;
}

/** The price category of a seat's area, or undefined when the area is not on sale. */
export function categoryOfSeat(layout: SeatLayout, categories: readonly PriceCategory[], seat: number): PriceCategory | undefined {
  const index = areaOfSeat(layout, seat).category;
  return index >= 0 ? categories[index] : undefined;
}

/**
 * What a screen reader hears on a seat: place, price category (with its shape, the legend's
 * second cue), status, and where it sits in its row.
 */
export function describeSeat(layout: SeatLayout, statuses: SeatStatuses, categories: readonly PriceCategory[], seat: number, picked: boolean): string {
  const row = layout.rows[layout.row[seat]!]!;
  const area = areaOfSeat(layout, seat);
  const category = categoryOfSeat(layout, categories, seat);
  const price = category ? `${category.name}, ${formatMoney(category.price)}, ${categoryShape(area.category)}` : "no price";
  const status = STATUS_WORDS[statuses.codes[seat] as StatusCode];
  const position = `seat ${seat - row.start + 1} of ${row.end - row.start} in the row`;
  return `${seatName(layout, seat)}. ${price}. ${picked ? "Picked" : status[0]!.toUpperCase() + status.slice(1)}. ${position}.`;
}

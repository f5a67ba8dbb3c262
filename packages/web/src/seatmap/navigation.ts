import type { SeatLayout } from "./layout.ts";

/** What a key does on the seat map (besides picking, zooming and fitting). */
export type Move = "left" | "right" | "up" | "down" | "rowStart" | "rowEnd" | "prevArea" | "nextArea";

export const MOVE_KEYS: Record<string, Move> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
  Home: "rowStart",
  End: "rowEnd",
  PageUp: "prevArea",
  PageDown: "nextArea",
};

/** The seat in `row` whose number is closest to `number`. */
function closestInRow(layout: SeatLayout, row: number, number: number): number {
  const range = layout.rows[row]!;
  let best = range.start;
  for (let i = range.start; i < range.end; i++) {
    if (Math.abs(layout.number[i]! - number) < Math.abs(layout.number[best]! - number)) best = i;
  }
  return best;
}

/**
 * Keyboard moves follow the venue's logic, not the screen's (areas may be rotated): left/right
 * along a row, up/down to the row in front/behind (nearest seat number), Home/End to a row's
 * ends, PageUp/PageDown to the previous/next area. Moves stop at the edges.
 */
export function moveFocus(layout: SeatLayout, seat: number, move: Move): number {
  if (layout.count === 0) return -1;
  if (seat < 0 || seat >= layout.count) return 0;
  const r = layout.row[seat]!;
  const row = layout.rows[r]!;
  const area = layout.areas[row.area]!;
  switch (move) {
    case "left":
      return seat > row.start ? seat - 1 : seat;
    case "right":
      return seat < row.end - 1 ? seat + 1 : seat;
    case "rowStart":
      return row.start;
    case "rowEnd":
      return row.end - 1;
    case "up":
      return r > area.firstRow ? closestInRow(layout, r - 1, layout.number[seat]!) : seat;
    case "down":
      return r < area.lastRow - 1 ? closestInRow(layout, r + 1, layout.number[seat]!) : seat;
    case "prevArea":
      return row.area > 0 ? layout.areas[row.area - 1]!.start : seat;
    case "nextArea":
      return row.area < layout.areas.length - 1 ? layout.areas[row.area + 1]!.start : seat;
    default: {
      const unreachable: never = move;
      throw new Error(`unknown move ${String(unreachable)}`);
    }
  }
}

import type { AreaState, RowState, SeatSlot } from "./state.ts";

/**
 * Best-available seat choice, in one pass over the area's rows (O(seats), no large
 * allocations; the split fallback makes one pass per piece, and pieces ≤ quantity).
 *
 * 1. One row, side by side: the first row (front first) with a run of `quantity` consecutive
 *    available seat numbers. Within it, prefer a block that strands no single available seat
 *    beside it, then the block closest to the row centre, then the lowest numbers.
 * 2. Otherwise split: take the largest run in the area (front row first on ties), then keep
 *    taking the run that covers most of what is left, nearest row to the first piece first.
 *    The last piece, cut from a longer run, is placed by the same rules as in 1.
 */
export function chooseBestAvailable(area: AreaState, quantity: number): SeatSlot[] | undefined {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > area.available) return undefined;
  return inOneRow(area, quantity) ?? split(area, quantity);
}

/** Length of the run of consecutive available seats starting at `start` (which must be available). */
function runEnd(seats: readonly SeatSlot[], start: number): number {
  let end = start;
  while (end + 1 < seats.length) {
    const next = seats[end + 1]!;
    if (next.status !== "available" || next.number !== seats[end]!.number + 1) break;
    end++;
  }
  return end;
}

interface Window {
  start: number;
  strands: number;
  distance: number;
}

/** The best block of `quantity` seats inside the run [first, last] of `row`, written to `best` if better. */
function bestWindow(row: RowState, first: number, last: number, quantity: number, best: Window): void {
  const seats = row.seats;
  for (let start = first; start + quantity - 1 <= last; start++) {
    const end = start + quantity - 1;
    const strands = (start - first === 1 ? 1 : 0) + (last - end === 1 ? 1 : 0);
    const distance = Math.abs((seats[start]!.number + seats[end]!.number) / 2 - row.centre);
    if (strands < best.strands || (strands === best.strands && distance < best.distance)) {
      best.start = start;
      best.strands = strands;
      best.distance = distance;
    }
  }
}

function inOneRow(area: AreaState, quantity: number): SeatSlot[] | undefined {
  const best: Window = { start: -1, strands: 3, distance: Number.POSITIVE_INFINITY };
  for (const row of area.rows) {
    if (row.available < quantity) continue;
    const seats = row.seats;
    for (let i = 0; i < seats.length; i++) {
      if (seats[i]!.status !== "available") continue;
      const last = runEnd(seats, i);
      if (last - i + 1 >= quantity) bestWindow(row, i, last, quantity, best);
      i = last;
    }
    if (best.start >= 0) return seats.slice(best.start, best.start + quantity);
  }
  return undefined;
}

function split(area: AreaState, quantity: number): SeatSlot[] | undefined {
  const picked: SeatSlot[] = [];
  const usedRunStarts = new Set<SeatSlot>();
  let anchorRow = -1;
  let remaining = quantity;
  while (remaining > 0) {
    let bestRow = -1;
    let bestFirst = -1;
    let bestLast = -1;
    let bestPiece = 0;
    let bestRowDistance = Number.POSITIVE_INFINITY;
    let bestCentreDistance = Number.POSITIVE_INFINITY;
    area.rows.forEach((row, r) => {
      if (row.available === 0) return;
      const seats = row.seats;
      const rowDistance = anchorRow < 0 ? 0 : Math.abs(r - anchorRow);
      for (let i = 0; i < seats.length; i++) {
        if (seats[i]!.status !== "available") continue;
        const last = runEnd(seats, i);
        const piece = Math.min(last - i + 1, remaining);
        const centreDistance = Math.abs((seats[i]!.number + seats[last]!.number) / 2 - row.centre);
        const better =
          !usedRunStarts.has(seats[i]!) &&
          (piece > bestPiece ||
            (piece === bestPiece &&
              (rowDistance < bestRowDistance ||
                (rowDistance === bestRowDistance && r === bestRow && centreDistance < bestCentreDistance))));
        if (better) {
          bestRow = r;
          bestFirst = i;
          bestLast = last;
          bestPiece = piece;
          bestRowDistance = rowDistance;
          bestCentreDistance = centreDistance;
        }
        i = last;
      }
    });
    if (bestRow < 0) return undefined;
    const row = area.rows[bestRow]!;
    if (anchorRow < 0) anchorRow = bestRow;
    usedRunStarts.add(row.seats[bestFirst]!);
    let start = bestFirst;
    if (bestLast - bestFirst + 1 > bestPiece) {
      const window: Window = { start: -1, strands: 3, distance: Number.POSITIVE_INFINITY };
      bestWindow(row, bestFirst, bestLast, bestPiece, window);
      start = window.start;
    }
    for (let k = start; k < start + bestPiece; k++) picked.push(row.seats[k]!);
    remaining -= bestPiece;
  }
  return picked;
}

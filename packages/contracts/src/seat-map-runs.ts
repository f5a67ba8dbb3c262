/**
 * The compact seat map (`GET /v1/venues/:id/seat-map`): each row's seat numbers and coordinates
 * as arithmetic runs, so a row of 40 evenly spaced seats is three triples instead of 40 objects
 * (a 20,000-seat venue: ~1 MB of JSON → a few KB). Seat ids are not sent: they are always
 * `<areaId>-<rowLabel>-<number>`. Coordinates travel as integers in hundredths (the catalog
 * rounds to them), so runs are exact. Plain TypeScript, no dependencies: the browser imports
 * this file (`@rush/contracts/seat-map-runs`) without the rest of the package.
 */

/** Flat triples `[first, step, length, first, step, length, …]`. */
export type Runs = number[];

/** `[label, numbers, x, y]`; `x`/`y` null when the seats have no coordinates. */
export type CompactRow = [label: string, numbers: Runs, x: Runs | null, y: Runs | null];

export interface CompactSeatMap {
  format: "runs-1";
  areas: { id: string; name: string; seatCount: number; rows: CompactRow[] }[];
}

/** The seat map shape these runs stand for (`SeatMap` of the catalog contracts). */
export interface PlainSeatMap {
  areas: { id: string; name: string; seatCount: number; rows: { label: string; seats: { id: string; number: number; x?: number; y?: number }[] }[] }[];
}

const SCALE = 100;

/** Integer values → runs of a constant step (greedy: each run as long as it can be). */
export function toRuns(values: readonly number[]): Runs {
  const runs: Runs = [];
  let i = 0;
  while (i < values.length) {
    const first = values[i]!;
    const step = i + 1 < values.length ? values[i + 1]! - first : 0;
    let length = 1;
    while (i + length < values.length && values[i + length]! - values[i + length - 1]! === step) length++;
    runs.push(first, length === 1 ? 0 : step, length);
    i += length;
  }
  return runs;
}

/** Runs → values, calling `each(value, index)` (no array when the caller fills its own). */
export function forEachRun(runs: Runs, each: (value: number, index: number) => void): number {
  let index = 0;
  for (let r = 0; r + 2 < runs.length; r += 3) {
    const [first, step, length] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
    for (let k = 0; k < length; k++) each(first + step * k, index++);
  }
  return index;
}

const scaled = (seats: readonly { x?: number; y?: number }[], key: "x" | "y"): Runs | null =>
  seats.every((s) => s[key] !== undefined) ? toRuns(seats.map((s) => Math.round(s[key]! * SCALE))) : null;

/** A seat map → its runs. Seats with only one of x/y lose it (the catalog never stores that). */
export function encodeSeatMap(seatMap: PlainSeatMap): CompactSeatMap {
  return {
    format: "runs-1",
    areas: seatMap.areas.map((area) => ({
      id: area.id,
      name: area.name,
      seatCount: area.seatCount,
      rows: area.rows.map((row): CompactRow => {
        const x = scaled(row.seats, "x");
        const y = scaled(row.seats, "y");
        return [row.label, toRuns(row.seats.map((s) => s.number)), x && y ? x : null, x && y ? y : null];
      }),
    })),
  };
}

/** Runs → the plain seat map, ids rebuilt. */
export function decodeSeatMap(compact: CompactSeatMap): PlainSeatMap {
  return {
    areas: compact.areas.map((area) => ({
      id: area.id,
      name: area.name,
      seatCount: area.seatCount,
      rows: area.rows.map(([label, numbers, xs, ys]) => {
        const seats: { id: string; number: number; x?: number; y?: number }[] = [];
        forEachRun(numbers, (number) => seats.push({ id: `${area.id}-${label}-${number}`, number }));
        if (xs && ys) {
          forEachRun(xs, (x, i) => (seats[i]!.x = x / SCALE));
          forEachRun(ys, (y, i) => (seats[i]!.y = y / SCALE));
        }
        return { label, seats };
      }),
    })),
  };
}

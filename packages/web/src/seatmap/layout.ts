import type { PriceCategory, SeatMap } from "@rush/contracts";

/** An axis-aligned box in venue units. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Seats `[start, end)` of one row, in seat-number order. */
export interface RowRange {
  label: string;
  area: number;
  start: number;
  end: number;
}

export interface AreaLayout {
  id: string;
  name: string;
  /** Seats `[start, end)`; its rows are `rows[firstRow, lastRow)` of the layout. */
  start: number;
  end: number;
  firstRow: number;
  lastRow: number;
  /** Index into the session's price categories, or -1 when the area is not on sale. */
  category: number;
  bounds: Bounds;
  center: { x: number; y: number };
}

/**
 * Every seat of a venue as flat typed arrays (20,000 seats stay cheap to walk every frame),
 * ordered area → row → seat, so an area's and a row's seats are contiguous index ranges.
 */
export interface SeatLayout {
  count: number;
  ids: string[];
  x: Float32Array;
  y: Float32Array;
  number: Int32Array;
  /** The row (index into `rows`) each seat sits in. */
  row: Uint32Array;
  areas: AreaLayout[];
  rows: RowRange[];
  index: Map<string, number>;
  /** Typical distance between neighbouring seats: what one seat's drawing size scales with. */
  pitch: number;
  bounds: Bounds;
}

/** Gap between areas placed automatically, in seat pitches. */
const AUTO_GAP = 4;

const emptyBounds = (): Bounds => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });

function grow(b: Bounds, x: number, y: number): void {
  if (x < b.minX) b.minX = x;
  if (y < b.minY) b.minY = y;
  if (x > b.maxX) b.maxX = x;
  if (y > b.maxY) b.maxY = y;
}

const placed = (area: SeatMap["areas"][number]) => area.rows.every((row) => row.seats.every((s) => s.x !== undefined && s.y !== undefined));

/**
 * Areas without coordinates are shelved left to right (wrapping into a roughly square block)
 * below any placed areas; each row is centred on the area's widest row. Per area: its top-left
 * corner and widest row (a seat's place follows from its row and position in it).
 */
function autoOrigins(areas: SeatMap["areas"], isPlaced: readonly boolean[], below: number): Map<number, { x: number; y: number; w: number }> {
  const origins = new Map<number, { x: number; y: number; w: number }>();
  const loose = areas.map((a, i) => ({ a, i })).filter(({ i }) => !isPlaced[i]);
  if (loose.length === 0) return origins;
  const sizes = loose.map(({ a }) => ({ w: Math.max(...a.rows.map((r) => r.seats.length)), h: a.rows.length }));
  const area = sizes.reduce((n, s) => n + (s.w + AUTO_GAP) * (s.h + AUTO_GAP), 0);
  const shelfWidth = Math.max(Math.sqrt(area) * 1.4, ...sizes.map((s) => s.w));
  let x = 0;
  let y = below;
  let shelfHeight = 0;
  loose.forEach(({ i }, k) => {
    const { w, h } = sizes[k]!;
    if (x > 0 && x + w > shelfWidth) {
      x = 0;
      y += shelfHeight + AUTO_GAP;
      shelfHeight = 0;
    }
    origins.set(i, { x, y, w });
    x += w + AUTO_GAP;
    shelfHeight = Math.max(shelfHeight, h);
  });
  return origins;
}

/** Median distance between neighbours in a row, from a sample: 1 when nothing can be measured. */
function measurePitch(x: Float32Array, y: Float32Array, rows: RowRange[]): number {
  const samples: number[] = [];
  for (const row of rows) {
    for (let i = row.start + 1; i < row.end && samples.length < 400; i++) {
      const d = Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!);
      if (d > 0) samples.push(d);
    }
    if (samples.length >= 400) break;
  }
  if (samples.length === 0) return 1;
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Lays a venue's seat map out for drawing, with each area's price category from the session. */
export function buildLayout(seatMap: SeatMap, categories: readonly Pick<PriceCategory, "areaIds">[] = []): SeatLayout {
  const count = seatMap.areas.reduce((n, a) => n + a.rows.reduce((m, r) => m + r.seats.length, 0), 0);
  const categoryOf = new Map<string, number>();
  categories.forEach((c, i) => {
    for (const areaId of c.areaIds) categoryOf.set(areaId, i);
  });
  const isPlaced = seatMap.areas.map(placed);
  const placedBounds = emptyBounds();
  seatMap.areas.forEach((area, a) => {
    if (isPlaced[a]) for (const row of area.rows) for (const seat of row.seats) grow(placedBounds, seat.x!, seat.y!);
  });
  const auto = autoOrigins(seatMap.areas, isPlaced, Number.isFinite(placedBounds.maxY) ? placedBounds.maxY + AUTO_GAP * 2 : 0);

  const layout: SeatLayout = {
    count,
    ids: new Array<string>(count),
    x: new Float32Array(count),
    y: new Float32Array(count),
    number: new Int32Array(count),
    row: new Uint32Array(count),
    areas: [],
    rows: [],
    index: new Map(),
    pitch: 1,
    bounds: emptyBounds(),
  };
  let i = 0;
  seatMap.areas.forEach((area, a) => {
    const bounds = emptyBounds();
    const start = i;
    const firstRow = layout.rows.length;
    const origin = auto.get(a);
    area.rows.forEach((row, rowInArea) => {
      const rowStart = i;
      const r = layout.rows.length;
      const offset = origin ? (origin.w - row.seats.length) / 2 : 0;
      row.seats.forEach((seat, s) => {
        const x = origin ? origin.x + offset + s : seat.x!;
        const y = origin ? origin.y + rowInArea : seat.y!;
        layout.ids[i] = seat.id;
        layout.x[i] = x;
        layout.y[i] = y;
        layout.number[i] = seat.number;
        layout.row[i] = r;
        layout.index.set(seat.id, i);
        grow(bounds, x, y);
        i++;
      });
      layout.rows.push({ label: row.label, area: a, start: rowStart, end: i });
    });
    layout.areas.push({
      id: area.id,
      name: area.name,
      start,
      end: i,
      firstRow,
      lastRow: layout.rows.length,
      category: categoryOf.get(area.id) ?? -1,
      bounds,
      center: { x: (bounds.minX + bounds.maxX) / 2, y: (bounds.minY + bounds.maxY) / 2 },
    });
    grow(layout.bounds, bounds.minX, bounds.minY);
    grow(layout.bounds, bounds.maxX, bounds.maxY);
  });
  layout.pitch = measurePitch(layout.x, layout.y, layout.rows);
  if (count === 0) layout.bounds = { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  return layout;
}

/** The area a seat is in. */
export const areaOfSeat = (layout: SeatLayout, seat: number): AreaLayout => layout.areas[layout.rows[layout.row[seat]!]!.area]!;

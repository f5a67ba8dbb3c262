import type { AreaLayout, SeatLayout } from "./layout.ts";
import { STATUS_STYLE, categoryColour } from "./palette.ts";
import { STATUS, type SeatStatuses } from "./seat-state.ts";

/**
 * The whole-venue view: below this seat radius (CSS px) seats are too small to show a status,
 * so each area is drawn as one shape coloured by how much of it is left, as seats.io-style maps
 * do; zooming in brings the seats back.
 */
export const OVERVIEW_RADIUS = 1.6;

export interface AreaCount {
  available: number;
  total: number;
}

/** Available and total seats of every area (buyers' own holds count as taken). */
export function areaCounts(layout: SeatLayout, statuses: SeatStatuses): AreaCount[] {
  return layout.areas.map((area) => {
    let available = 0;
    for (let s = area.start; s < area.end; s++) if (statuses.codes[s] === STATUS.available) available++;
    return { available, total: area.end - area.start };
  });
}

/** The convex hull of points (monotone chain), counter-clockwise, as a flat [x0, y0, x1, y1, …]. */
export function convexHull(xs: ArrayLike<number>, ys: ArrayLike<number>, from: number, to: number): number[] {
  const points: [number, number][] = [];
  for (let i = from; i < to; i++) points.push([xs[i]!, ys[i]!]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (points.length <= 2) return points.flat();
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(points), ...half([...points].reverse())].flat();
}

const hullCache = new WeakMap<SeatLayout, number[][]>();

/**
 * The seats that can be on an area's outline: every seat of its front and back rows and the two
 * ends of every row. The seats in between are inside for any area whose rows are lines or arcs
 * bowing the same way, and sorting 40 of an area's 1,000 seats instead of all of them is what
 * keeps the whole-venue view's first frame fast on a slow phone (issue 14: ≈40 → ≈17 ms of CPU for 20,000 seats, first call in node).
 */
function outlineCandidates(layout: SeatLayout, area: AreaLayout): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const add = (seat: number) => {
    xs.push(layout.x[seat]!);
    ys.push(layout.y[seat]!);
  };
  for (let r = area.firstRow; r < area.lastRow; r++) {
    const row = layout.rows[r]!;
    if (r === area.firstRow || r === area.lastRow - 1) for (let seat = row.start; seat < row.end; seat++) add(seat);
    else if (row.end > row.start) {
      add(row.start);
      add(row.end - 1);
    }
  }
  return { xs, ys };
}

/** Each area's outline in venue units, computed once per layout. */
export function areaHulls(layout: SeatLayout): number[][] {
  let hulls = hullCache.get(layout);
  if (!hulls) {
    hulls = layout.areas.map((a) => {
      const { xs, ys } = outlineCandidates(layout, a);
      return convexHull(xs, ys, 0, xs.length);
    });
    hullCache.set(layout, hulls);
  }
  return hulls;
}

function mix(a: string, b: string, t: number): string {
  const channel = (hex: string, i: number) => Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const out = [0, 1, 2].map((i) => Math.round(channel(a, i) * (1 - t) + channel(b, i) * t));
  return `#${out.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** A grey between "held" and "sold": an area with little left fades toward it. */
const FADED = "#A6A6A6";

/**
 * An area's overview fill: its price colour when plenty is left, fading toward grey as it
 * sells, and the "sold" grey (with its cross) once nothing is left. Not-on-sale areas are pale.
 */
export function areaFill(category: number, count: AreaCount): { fill: string; soldOut: boolean } {
  if (category < 0) return { fill: STATUS_STYLE.none.fill, soldOut: false };
  if (count.available === 0) return { fill: STATUS_STYLE.sold.fill, soldOut: true };
  const left = count.available / Math.max(1, count.total);
  // A quarter left still reads as the price colour; below that it fades.
  const t = left >= 0.25 ? 0 : 0.65 * (1 - left / 0.25);
  return { fill: mix(categoryColour(category), FADED, t), soldOut: false };
}

/** "842 of 1,000 seats left" / "Sold out": what hovering or focusing an area says. */
export function areaCountWords(count: AreaCount): string {
  if (count.total === 0) return "no seats";
  if (count.available === 0) return "Sold out";
  return `${count.available.toLocaleString("en")} of ${count.total.toLocaleString("en")} seats left`;
}

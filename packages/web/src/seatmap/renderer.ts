import type { SeatLayout } from "./layout.ts";
import { OVERVIEW_RADIUS, areaCounts, areaFill, areaHulls } from "./overview.ts";
import { OUTLINE, type SeatMark, type SeatShape, seatStyle } from "./palette.ts";
import type { SeatStatuses } from "./seat-state.ts";
import type { Viewport } from "./viewport.ts";

export interface Scene {
  layout: SeatLayout;
  statuses: SeatStatuses;
  view: Viewport;
  /** Seats picked (not yet held). */
  selected: ReadonlySet<number>;
  /** The keyboard's seat, or -1. */
  focus: number;
  width: number;
  height: number;
  dpr: number;
}

/** Below this radius (CSS px) seats are plain squares: shapes and marks would not show anyway. */
const DETAIL_RADIUS = 2.5;
/** Below this radius area names are drawn over the seats; above it, over each area's top edge. */
const LABEL_RADIUS = 4;
/** From this radius on, row labels are drawn before each row's first seat. */
const ROW_LABEL_RADIUS = 6;
const CATEGORY_SLOTS = 8;

/** A seat's drawn radius (CSS px) at a zoom: 0.42 of the seat pitch leaves a visible gap between neighbours. */
export const seatRadius = (pitch: number, scale: number): number => pitch * scale * 0.42;
const BUCKETS = 5 * CATEGORY_SLOTS;

export interface Renderer {
  draw(ctx: CanvasRenderingContext2D, scene: Scene): void;
}

function addShape(ctx: CanvasRenderingContext2D, shape: SeatShape, x: number, y: number, r: number): void {
  switch (shape) {
    case "circle":
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    case "square": {
      const s = r * 0.9;
      ctx.rect(x - s, y - s, 2 * s, 2 * s);
      return;
    }
    case "diamond":
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
      ctx.closePath();
      return;
    case "triangle":
      ctx.moveTo(x, y - r * 1.1);
      ctx.lineTo(x + r * 1.1, y + r * 0.85);
      ctx.lineTo(x - r * 1.1, y + r * 0.85);
      ctx.closePath();
      return;
    default: {
      const unreachable: never = shape;
      throw new Error(`unknown shape ${String(unreachable)}`);
    }
  }
}

function addMark(ctx: CanvasRenderingContext2D, mark: SeatMark, x: number, y: number, r: number): void {
  const m = r * 0.55;
  switch (mark) {
    case "slash":
      ctx.moveTo(x - m, y + m);
      ctx.lineTo(x + m, y - m);
      return;
    case "cross":
      ctx.moveTo(x - m, y - m);
      ctx.lineTo(x + m, y + m);
      ctx.moveTo(x - m, y + m);
      ctx.lineTo(x + m, y - m);
      return;
    case "check":
      ctx.moveTo(x - m, y);
      ctx.lineTo(x - m * 0.25, y + m * 0.7);
      ctx.lineTo(x + m, y - m * 0.65);
      return;
    case "none":
      return;
    default: {
      const unreachable: never = mark;
      throw new Error(`unknown mark ${String(unreachable)}`);
    }
  }
}

/**
 * Draws seats batched by style: one counting sort of the visible seats into (status ×
 * category) buckets, then one path per bucket, so 20,000 seats cost ~40 fills, not 20,000.
 */
export function createRenderer(): Renderer {
  let order = new Uint32Array(0);
  let sx = new Float32Array(0);
  let sy = new Float32Array(0);
  /** Each seat's bucket this frame, -1 when off screen. */
  let bucket = new Int16Array(0);
  const counts = new Uint32Array(BUCKETS + 1);

  return {
    draw(ctx, scene) {
      const { layout, statuses, view, width, height, dpr } = scene;
      if (order.length < layout.count) {
        order = new Uint32Array(layout.count);
        sx = new Float32Array(layout.count);
        sy = new Float32Array(layout.count);
        bucket = new Int16Array(layout.count);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const r = seatRadius(layout.pitch, view.scale);
      if (r < OVERVIEW_RADIUS) {
        drawOverview(ctx, scene);
        drawSelection(ctx, scene, r);
        drawAreaNames(ctx, scene, r);
        drawFocus(ctx, scene, r);
        return;
      }
      const categoryOfArea = layout.areas.map((a) => a.category);
      const bucketOf = (i: number) => {
        const category = categoryOfArea[layout.rows[layout.row[i]!]!.area]!;
        return statuses.codes[i]! * CATEGORY_SLOTS + (category < 0 ? CATEGORY_SLOTS - 1 : category % (CATEGORY_SLOTS - 1));
      };
      counts.fill(0);
      for (let i = 0; i < layout.count; i++) {
        const x = layout.x[i]! * view.scale + view.x;
        const y = layout.y[i]! * view.scale + view.y;
        if (x < -r || y < -r || x > width + r || y > height + r) {
          bucket[i] = -1;
          continue;
        }
        sx[i] = x;
        sy[i] = y;
        bucket[i] = bucketOf(i);
        counts[bucket[i]! + 1]!++;
      }
      for (let b = 0; b < BUCKETS; b++) counts[b + 1]! += counts[b]!;
      const fill = counts.slice(0, BUCKETS);
      for (let i = 0; i < layout.count; i++) if (bucket[i]! >= 0) order[fill[bucket[i]!]!++] = i;
      const detailed = r >= DETAIL_RADIUS;
      for (let b = 0; b < BUCKETS; b++) {
        const from = counts[b]!;
        const to = counts[b + 1]!;
        if (from === to) continue;
        const status = Math.floor(b / CATEGORY_SLOTS) as 0 | 1 | 2 | 3 | 4;
        const slot = b % CATEGORY_SLOTS;
        const style = seatStyle(status, slot === CATEGORY_SLOTS - 1 ? -1 : slot);
        ctx.fillStyle = style.fill;
        ctx.beginPath();
        for (let k = from; k < to; k++) {
          const i = order[k]!;
          if (detailed) addShape(ctx, style.shape, sx[i]!, sy[i]!, r);
          else ctx.rect(sx[i]! - r, sy[i]! - r, 2 * r, 2 * r);
        }
        ctx.fill();
        ctx.lineWidth = detailed ? Math.max(1, r * 0.12) : Math.min(1, r * 0.4);
        ctx.strokeStyle = style.stroke;
        ctx.stroke();
        if (!detailed) continue;
        if (style.mark === "none") continue;
        ctx.beginPath();
        for (let k = from; k < to; k++) addMark(ctx, style.mark, sx[order[k]!]!, sy[order[k]!]!, r);
        ctx.lineWidth = Math.max(1.2, r * 0.22);
        ctx.lineCap = "round";
        ctx.strokeStyle = style.markColour;
        ctx.stroke();
      }
      drawSelection(ctx, scene, r);
      drawAreaNames(ctx, scene, r);
      if (r >= ROW_LABEL_RADIUS) drawRowLabels(ctx, scene, r);
      drawFocus(ctx, scene, r);
    },
  };
}

function drawSelection(ctx: CanvasRenderingContext2D, scene: Scene, r: number): void {
  if (scene.selected.size === 0) return;
  const { layout, view } = scene;
  const ring = Math.max(r + 2, 3.5);
  ctx.beginPath();
  for (const i of scene.selected) {
    const x = layout.x[i]! * view.scale + view.x;
    const y = layout.y[i]! * view.scale + view.y;
    ctx.moveTo(x + ring, y);
    ctx.arc(x, y, ring, 0, Math.PI * 2);
  }
  ctx.lineWidth = Math.max(2, r * 0.3);
  ctx.strokeStyle = "#111111";
  ctx.stroke();
}

/**
 * The whole venue: each area one shape (its seats' hull, widened by half a seat) in a colour
 * that says how much is left; a sold-out area is the "sold" grey with a cross, like a sold seat.
 */
function drawOverview(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { layout, statuses, view } = scene;
  const hulls = areaHulls(layout);
  const counts = areaCounts(layout, statuses);
  const grow = Math.max(2, layout.pitch * view.scale);
  ctx.lineJoin = "round";
  layout.areas.forEach((area, a) => {
    const hull = hulls[a]!;
    if (hull.length === 0) return;
    ctx.beginPath();
    for (let k = 0; k < hull.length; k += 2) ctx.lineTo(hull[k]! * view.scale + view.x, hull[k + 1]! * view.scale + view.y);
    ctx.closePath();
    const { fill, soldOut } = areaFill(area.category, counts[a]!);
    ctx.fillStyle = fill;
    ctx.strokeStyle = OUTLINE;
    ctx.lineWidth = grow + 2;
    ctx.stroke();
    ctx.strokeStyle = fill;
    ctx.lineWidth = grow;
    ctx.fill();
    ctx.stroke();
    if (!soldOut) return;
    const b = area.bounds;
    const [x0, y0, x1, y1] = [b.minX * view.scale + view.x, b.minY * view.scale + view.y, b.maxX * view.scale + view.x, b.maxY * view.scale + view.y];
    const m = Math.min(x1 - x0, y1 - y0) * 0.3;
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    ctx.beginPath();
    ctx.moveTo(cx - m, cy - m);
    ctx.lineTo(cx + m, cy + m);
    ctx.moveTo(cx - m, cy + m);
    ctx.lineTo(cx + m, cy - m);
    ctx.lineWidth = Math.max(1.5, m * 0.18);
    ctx.lineCap = "round";
    ctx.strokeStyle = "#FFFFFF";
    ctx.stroke();
  });
}

/**
 * Area names: over the seats when zoomed out, above the area's top edge when zoomed in. A name
 * that would overlap one already drawn is left out (a phone's whole-venue view is crowded).
 */
function drawAreaNames(ctx: CanvasRenderingContext2D, scene: Scene, r: number): void {
  const { layout, view } = scene;
  const above = r >= LABEL_RADIUS;
  ctx.font = above ? "600 14px system-ui, sans-serif" : "600 12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = above ? "bottom" : "middle";
  ctx.lineJoin = "round";
  const taken: [number, number, number, number][] = [];
  for (const area of layout.areas) {
    const x = area.center.x * view.scale + view.x;
    const y = above ? area.bounds.minY * view.scale + view.y - r - 6 : area.center.y * view.scale + view.y;
    if (x < -100 || y < -20 || x > scene.width + 100 || y > scene.height + 20) continue;
    const half = ctx.measureText(area.name).width / 2 + 3;
    const box: [number, number, number, number] = [x - half, y - 9, x + half, y + 9];
    if (taken.some((t) => t[0] < box[2] && box[0] < t[2] && t[1] < box[3] && box[1] < t[3])) continue;
    taken.push(box);
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.strokeText(area.name, x, y);
    ctx.fillStyle = "#111111";
    ctx.fillText(area.name, x, y);
  }
}

/** "Row 3" before each row's first seat, along the row's own direction (rows may be rotated). */
function drawRowLabels(ctx: CanvasRenderingContext2D, scene: Scene, r: number): void {
  const { layout, view } = scene;
  ctx.font = `500 ${Math.min(13, Math.max(10, r * 1.2))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillStyle = "#4A4F5C";
  for (const row of layout.rows) {
    const first = row.start;
    const next = row.end - row.start > 1 ? first + 1 : first;
    let dx = layout.x[first]! - layout.x[next]!;
    let dy = layout.y[first]! - layout.y[next]!;
    const length = Math.hypot(dx, dy) || 1;
    [dx, dy] = next === first ? [-1, 0] : [dx / length, dy / length];
    const x = layout.x[first]! * view.scale + view.x + dx * (r * 2 + 10);
    const y = layout.y[first]! * view.scale + view.y + dy * (r * 2 + 10);
    if (x < -20 || y < -20 || x > scene.width + 20 || y > scene.height + 20) continue;
    ctx.fillText(row.label, x, y);
  }
}

/** A two-tone ring (dark inside light) that shows on every seat colour. */
function drawFocus(ctx: CanvasRenderingContext2D, scene: Scene, r: number): void {
  if (scene.focus < 0) return;
  const { layout, view } = scene;
  const x = layout.x[scene.focus]! * view.scale + view.x;
  const y = layout.y[scene.focus]! * view.scale + view.y;
  const ring = Math.max(r + 5, 8);
  ctx.beginPath();
  ctx.arc(x, y, ring, 0, Math.PI * 2);
  ctx.lineWidth = 5;
  ctx.strokeStyle = "#FFFFFF";
  ctx.stroke();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = "#0B57D0";
  ctx.stroke();
}

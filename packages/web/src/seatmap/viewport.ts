import type { Bounds } from "./layout.ts";

/** Screen = world × scale + (x, y), in CSS pixels. */
export interface Viewport {
  scale: number;
  x: number;
  y: number;
}

export interface ScaleLimits {
  min: number;
  max: number;
}

export const worldToScreen = (v: Viewport, wx: number, wy: number) => ({ x: wx * v.scale + v.x, y: wy * v.scale + v.y });
export const screenToWorld = (v: Viewport, sx: number, sy: number) => ({ x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale });

/** The view that shows `bounds` whole and centred in a `width × height` canvas, `padding` px around. */
export function fitBounds(bounds: Bounds, width: number, height: number, padding = 24): Viewport {
  const w = Math.max(bounds.maxX - bounds.minX, 1e-6);
  const h = Math.max(bounds.maxY - bounds.minY, 1e-6);
  const scale = Math.max(1e-6, Math.min((width - 2 * padding) / w, (height - 2 * padding) / h));
  return {
    scale,
    x: width / 2 - ((bounds.minX + bounds.maxX) / 2) * scale,
    y: height / 2 - ((bounds.minY + bounds.maxY) / 2) * scale,
  };
}

/**
 * How far one may zoom: out to half the whole-venue view, in until one seat spans
 * `maxSeatPx` pixels (beyond that there is nothing more to see).
 */
export function scaleLimits(fit: Viewport, pitch: number, maxSeatPx = 96): ScaleLimits {
  const max = Math.max(fit.scale * 2, maxSeatPx / Math.max(pitch, 1e-6));
  return { min: fit.scale * 0.5, max };
}

/** Zooms by `factor` keeping the world point under the screen point (sx, sy) where it is. */
export function zoomAt(v: Viewport, factor: number, sx: number, sy: number, limits: ScaleLimits): Viewport {
  const scale = Math.min(limits.max, Math.max(limits.min, v.scale * factor));
  const k = scale / v.scale;
  return { scale, x: sx - (sx - v.x) * k, y: sy - (sy - v.y) * k };
}

export const panBy = (v: Viewport, dx: number, dy: number): Viewport => ({ ...v, x: v.x + dx, y: v.y + dy });

/** The smallest pan that brings a world point at least `margin` px inside the canvas. */
export function keepVisible(v: Viewport, wx: number, wy: number, width: number, height: number, margin = 40): Viewport {
  const p = worldToScreen(v, wx, wy);
  const m = Math.min(margin, width / 2, height / 2);
  const dx = p.x < m ? m - p.x : p.x > width - m ? width - m - p.x : 0;
  const dy = p.y < m ? m - p.y : p.y > height - m ? height - m - p.y : 0;
  return dx === 0 && dy === 0 ? v : panBy(v, dx, dy);
}

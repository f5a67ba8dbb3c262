import { describe, expect, it } from "vitest";
import { fitBounds, keepVisible, scaleLimits, screenToWorld, worldToScreen, zoomAt } from "./viewport.ts";

describe("viewport", () => {
  const bounds = { minX: 0, minY: 0, maxX: 100, maxY: 50 };

  it("viewport: fitting centres the bounds inside the padding", () => {
    const v = fitBounds(bounds, 648, 400, 24);
    expect(v.scale).toBe(6);
    expect(worldToScreen(v, 50, 25)).toEqual({ x: 324, y: 200 });
    expect(worldToScreen(v, 0, 0).x).toBe(24);
  });

  it("viewport: zooming keeps the point under the cursor still, within limits", () => {
    const v = fitBounds(bounds, 648, 400, 24);
    const limits = scaleLimits(v, 1);
    const before = screenToWorld(v, 100, 80);
    const zoomed = zoomAt(v, 3, 100, 80, limits);
    expect(zoomed.scale).toBe(18);
    const after = screenToWorld(zoomed, 100, 80);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(zoomAt(v, 1e6, 0, 0, limits).scale).toBe(limits.max);
    expect(zoomAt(v, 1e-6, 0, 0, limits).scale).toBe(limits.min);
  });

  it("viewport: keepVisible pans a point back inside the margin and leaves visible points alone", () => {
    const v = { scale: 10, x: 0, y: 0 };
    expect(keepVisible(v, 5, 5, 200, 200, 20)).toBe(v);
    const moved = keepVisible(v, 30, 5, 200, 200, 20);
    expect(worldToScreen(moved, 30, 5).x).toBe(180);
  });
});

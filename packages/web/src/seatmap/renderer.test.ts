import { describe, expect, it } from "vitest";
import { buildLayout } from "./layout.ts";
import { OVERVIEW_RADIUS } from "./overview.ts";
import { createRenderer, seatRadius } from "./renderer.ts";
import { STATUS, createSeatStatuses } from "./seat-state.ts";
import { gridMap } from "./test-maps.ts";
import { fitBounds } from "./viewport.ts";

/** A 2D context that only counts what it is asked to draw. */
function countingContext() {
  const counts = { fill: 0, stroke: 0, shapes: 0, rects: 0, text: 0 };
  const noop = () => {};
  const ctx = {
    counts,
    setTransform: noop,
    clearRect: noop,
    beginPath: noop,
    closePath: noop,
    moveTo: noop,
    lineTo: noop,
    arc: () => void counts.shapes++,
    rect: () => void counts.rects++,
    fill: () => void counts.fill++,
    stroke: () => void counts.stroke++,
    strokeText: noop,
    fillText: () => void counts.text++,
    measureText: (text: string) => ({ width: text.length * 7 }),
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    lineCap: "butt",
    lineJoin: "miter",
    font: "",
    textAlign: "left",
    textBaseline: "alphabetic",
  };
  return ctx;
}

describe("seat map renderer", () => {
  const layout = buildLayout(gridMap(20, 25, 40), [{ areaIds: ["A1", "A2", "A3"] }, { areaIds: ["A4", "A5"] }]);
  const statuses = createSeatStatuses(layout);
  for (let i = 0; i < layout.count; i++) statuses.codes[i] = [STATUS.available, STATUS.held, STATUS.sold][i % 3]!;

  it("renderer: the whole venue, where seats would be specks, is one shape per area with its name", () => {
    const ctx = countingContext();
    const view = fitBounds(layout.bounds, 600, 400);
    expect(seatRadius(layout.pitch, view.scale)).toBeLessThan(OVERVIEW_RADIUS);
    createRenderer().draw(ctx as unknown as CanvasRenderingContext2D, { layout, statuses, view, selected: new Set<number>(), focus: -1, width: 600, height: 400, dpr: 1 });
    expect(ctx.counts.rects + ctx.counts.shapes).toBe(0);
    expect(ctx.counts.fill).toBe(20);
    expect(ctx.counts.text).toBeGreaterThan(0);
  });

  it("renderer: 20,000 seats are drawn as a few dozen batched fills", () => {
    const ctx = countingContext();
    // Just big enough to show seats: the whole grid at that scale, on a canvas that holds it.
    const scale = (OVERVIEW_RADIUS * 1.05) / seatRadius(layout.pitch, 1);
    const width = (layout.bounds.maxX - layout.bounds.minX) * scale + 20;
    const height = (layout.bounds.maxY - layout.bounds.minY) * scale + 20;
    const view = { scale, x: 10 - layout.bounds.minX * scale, y: 10 - layout.bounds.minY * scale };
    const renderer = createRenderer();
    const scene = { layout, statuses, view, selected: new Set<number>(), focus: -1, width, height, dpr: 1 };
    renderer.draw(ctx as unknown as CanvasRenderingContext2D, scene);
    expect(ctx.counts.rects + ctx.counts.shapes).toBe(20_000);
    expect(ctx.counts.fill).toBeLessThanOrEqual(40);
    // Zoomed out, area names are drawn for orientation.
    expect(ctx.counts.text).toBeGreaterThan(0);
    const started = performance.now();
    for (let k = 0; k < 10; k++) renderer.draw(ctx as unknown as CanvasRenderingContext2D, scene);
    // Printed, not asserted: a shared machine is no stopwatch (STYLE.md).
    console.log(`renderer: 20,000 seats, ${((performance.now() - started) / 10).toFixed(1)} ms per frame (mock context)`);
  });

  it("renderer: zoomed in, only seats on screen are drawn, with shapes, marks, row labels and the focus ring", () => {
    const ctx = countingContext();
    const view = { scale: 40, x: 100, y: 60 };
    createRenderer().draw(ctx as unknown as CanvasRenderingContext2D, {
      layout,
      statuses,
      view,
      selected: new Set([0]),
      focus: 1,
      width: 400,
      height: 200,
      dpr: 2,
    });
    const drawn = ctx.counts.rects + ctx.counts.shapes;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    expect(ctx.counts.stroke).toBeGreaterThan(2);
    // Area 1's name above it and the labels of the rows in view.
    expect(ctx.counts.text).toBeGreaterThanOrEqual(3);
    expect(ctx.counts.text).toBeLessThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { areaOfSeat, buildLayout } from "./layout.ts";
import { buildSpatialIndex } from "./spatial-index.ts";
import { gridMap } from "./test-maps.ts";

describe("seat map layout", () => {
  it("layout: flattens areas → rows → seats into contiguous ranges with an id index", () => {
    const layout = buildLayout(gridMap(2, 3, 4), [{ areaIds: ["A2"] }]);
    expect(layout.count).toBe(24);
    expect(layout.areas.map((a) => [a.id, a.start, a.end, a.category])).toEqual([
      ["A1", 0, 12, -1],
      ["A2", 12, 24, 0],
    ]);
    expect(layout.rows[4]).toEqual({ label: "2", area: 1, start: 16, end: 20 });
    const i = layout.index.get("A2-2-3")!;
    expect(layout.ids[i]).toBe("A2-2-3");
    expect(layout.number[i]).toBe(3);
    expect(areaOfSeat(layout, i).id).toBe("A2");
  });

  it("layout: keeps coordinates the venue gives and measures the seat pitch from them", () => {
    const layout = buildLayout(gridMap(1, 2, 3, true));
    expect([layout.x[1], layout.y[1]]).toEqual([2, 0]);
    expect(layout.pitch).toBe(2);
    expect(layout.bounds).toEqual({ minX: 0, minY: 0, maxX: 4, maxY: 2 });
  });

  it("layout: places areas without coordinates side by side, never overlapping", () => {
    const layout = buildLayout(gridMap(6, 10, 20));
    expect(layout.pitch).toBe(1);
    const boxes = layout.areas.map((a) => a.bounds);
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [p, q] = [boxes[a]!, boxes[b]!];
        const overlap = p.minX <= q.maxX && q.minX <= p.maxX && p.minY <= q.maxY && q.minY <= p.maxY;
        expect(overlap, `${layout.areas[a]!.id} and ${layout.areas[b]!.id} overlap`).toBe(false);
      }
    }
    // Wrapped into a block, not one endless line.
    const w = layout.bounds.maxX - layout.bounds.minX;
    const h = layout.bounds.maxY - layout.bounds.minY;
    expect(w / h).toBeLessThan(4);
  });

  it("layout: 20,000 seats build with a spatial index over all of them", () => {
    const layout = buildLayout(gridMap(20, 25, 40));
    const index = buildSpatialIndex(layout);
    expect(layout.count).toBe(20_000);
    // Every seat is reachable through the index, the last one too.
    for (const i of [0, 9_999, 19_999]) expect(index.nearest(layout.x[i]!, layout.y[i]!, 0.1)).toBe(i);
  });
});

describe("spatial index", () => {
  it("spatial index: finds the nearest seat within reach, and none beyond it", () => {
    const layout = buildLayout(gridMap(3, 10, 10, true));
    const index = buildSpatialIndex(layout);
    const target = layout.index.get("A2-4-7")!;
    expect(index.nearest(layout.x[target]! + 0.3, layout.y[target]! - 0.2, 1)).toBe(target);
    expect(index.nearest(-50, -50, 1)).toBe(-1);
  });

  it("spatial index: agrees with a brute-force search everywhere", () => {
    const layout = buildLayout(gridMap(4, 8, 9, true));
    const index = buildSpatialIndex(layout);
    for (let k = 0; k < 300; k++) {
      const x = -5 + ((k * 7.31) % 70);
      const y = -3 + ((k * 3.17) % 22);
      let best = -1;
      let bestD = 1.5 * 1.5;
      for (let i = 0; i < layout.count; i++) {
        const d = (layout.x[i]! - x) ** 2 + (layout.y[i]! - y) ** 2;
        if (d <= bestD) [best, bestD] = [i, d];
      }
      const found = index.nearest(x, y, 1.5);
      if (best === -1) expect(found).toBe(-1);
      else expect((layout.x[found]! - x) ** 2 + (layout.y[found]! - y) ** 2).toBeCloseTo(bestD, 5);
    }
  });
});

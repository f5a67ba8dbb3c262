import { describe, expect, it } from "vitest";
import { buildLayout } from "./layout.ts";
import { areaCountWords, areaCounts, areaFill, areaHulls, convexHull } from "./overview.ts";
import { CATEGORY_COLOURS, STATUS_STYLE } from "./palette.ts";
import { STATUS, createSeatStatuses } from "./seat-state.ts";
import { gridMap } from "./test-maps.ts";

describe("seat map overview", () => {
  it("overview: an area's outline is the hull of its seats (inner points left out)", () => {
    const xs = [0, 2, 1, 0, 2];
    const ys = [0, 0, 1, 2, 2];
    const hull = convexHull(xs, ys, 0, xs.length);
    expect(hull.length / 2).toBe(4);
    expect(hull).not.toContain(1);
  });

  it("overview: an area's outline from its rows' ends and its front and back rows is its seats' whole hull (grids and arcs)", () => {
    const arc = gridMap(3, 6, 12, true);
    // Rows bowed into arcs around a stage, as a stadium's sections are.
    for (const area of arc.areas) {
      for (const [r, row] of area.rows.entries()) {
        for (const [n, seat] of row.seats.entries()) {
          const angle = -0.6 + (1.2 * n) / 11;
          Object.assign(seat, { x: 100 + (20 + 2 * r) * Math.sin(angle), y: (20 + 2 * r) * Math.cos(angle) });
        }
      }
    }
    for (const map of [gridMap(4, 25, 40), gridMap(2, 5, 9, true), arc]) {
      const layout = buildLayout(map);
      const hulls = areaHulls(layout);
      for (const [a, area] of layout.areas.entries()) expect(hulls[a]).toEqual(convexHull(layout.x, layout.y, area.start, area.end));
    }
  });

  it("overview: areas fade from their price colour toward grey as they sell, and look sold once sold out", () => {
    expect(areaFill(0, { available: 900, total: 1000 }).fill.toUpperCase()).toBe(CATEGORY_COLOURS[0]);
    const few = areaFill(0, { available: 10, total: 1000 });
    expect(few.fill.toUpperCase()).not.toBe(CATEGORY_COLOURS[0]);
    expect(few.soldOut).toBe(false);
    expect(areaFill(0, { available: 0, total: 1000 })).toEqual({ fill: STATUS_STYLE.sold.fill, soldOut: true });
    expect(areaFill(-1, { available: 0, total: 10 }).soldOut).toBe(false);
  });

  it("overview: counts per area and the words a hover shows", () => {
    const layout = buildLayout(gridMap(2, 2, 5), [{ areaIds: ["A1", "A2"] }]);
    const statuses = createSeatStatuses(layout);
    for (let i = 0; i < layout.count; i++) statuses.codes[i] = i < 10 ? STATUS.sold : STATUS.available;
    statuses.codes[12] = STATUS.mine;
    const counts = areaCounts(layout, statuses);
    expect(counts).toEqual([
      { available: 0, total: 10 },
      { available: 9, total: 10 },
    ]);
    expect(areaCountWords(counts[0]!)).toBe("Sold out");
    expect(areaCountWords(counts[1]!)).toBe("9 of 10 seats left");
  });
});

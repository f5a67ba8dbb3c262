import { describe, expect, it } from "vitest";
import { buildLayout } from "../seatmap/layout.ts";
import { STATUS, createSeatStatuses } from "../seatmap/seat-state.ts";
import { gridMap } from "../seatmap/test-maps.ts";
import { soldOutAreas } from "./sold-out.ts";

describe("waitlist", () => {
  it("waitlist: an area on sale with no available seat is sold out; one free seat or an area not on sale is not", () => {
    const layout = buildLayout(gridMap(3, 1, 2), [{ areaIds: ["A1", "A2"] }]);
    const statuses = createSeatStatuses(layout);
    const [a1, a2, a3] = layout.areas;
    for (let i = a1!.start; i < a1!.end; i++) statuses.codes[i] = STATUS.sold;
    for (let i = a2!.start; i < a2!.end; i++) statuses.codes[i] = STATUS.held;
    statuses.codes[a2!.start] = STATUS.available;
    for (let i = a3!.start; i < a3!.end; i++) statuses.codes[i] = STATUS.sold;
    expect(soldOutAreas(layout, statuses).map((a) => a.id)).toEqual(["A1"]);
    statuses.codes[a2!.start] = STATUS.mine;
    expect(soldOutAreas(layout, statuses).map((a) => a.id)).toEqual(["A1", "A2"]);
  });
});

import { describe, expect, it } from "vitest";
import { groupSeatMap } from "./seat-map-cache.ts";

describe("seat map", () => {
  it("seat map: groups by area and sorts rows and numbers naturally (2 before 10)", () => {
    const snapshot = groupSeatMap(7, { "B-1-1": "a", "A-10-1": "s", "A-2-10": "b", "A-2-9": "h:u1", "bogus": "a" });
    expect(snapshot).toEqual({
      version: 7,
      areas: [
        {
          id: "A",
          seats: [
            { id: "A-2-9", row: "2", number: 9, code: "h:u1" },
            { id: "A-2-10", row: "2", number: 10, code: "b" },
            { id: "A-10-1", row: "10", number: 1, code: "s" },
          ],
        },
        { id: "B", seats: [{ id: "B-1-1", row: "1", number: 1, code: "a" }] },
      ],
      holders: new Set(["u1"]),
    });
  });
});

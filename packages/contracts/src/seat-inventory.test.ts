import { describe, expect, it } from "vitest";
import { SeatDefinition, SeatId, SeatSnapshot, parseSeatId, seatId } from "./seat-inventory.ts";

describe("seat ids", () => {
  it("seat ids: build <area>-<row>-<number> and parse back", () => {
    expect(seatId("A", "3", 17)).toBe("A-3-17");
    expect(parseSeatId("North_Upper-AA-120")).toEqual({ areaId: "North_Upper", row: "AA", number: 120 });
    for (const [area, row, number] of [
      ["A", "1", 1],
      ["b_2", "ZZ", 999_999_999],
      ["x", "0", 40],
    ] as const) {
      expect(parseSeatId(seatId(area, row, number))).toEqual({ areaId: area, row, number });
    }
  });

  it("seat ids: reject malformed ids and parts", () => {
    for (const bad of ["", "A-3", "A-3-0", "A-3-017", "A-3-x", "A--3-1", "A-3-1-2", "A 3-1", "A-3-1000000000"]) {
      expect(parseSeatId(bad), bad).toBeUndefined();
      expect(SeatId.safeParse(bad).success, bad).toBe(false);
    }
    expect(() => seatId("A-B", "1", 1)).toThrow(RangeError);
    expect(() => seatId("A", "", 1)).toThrow(RangeError);
    expect(() => seatId("A", "1", 0)).toThrow(RangeError);
    expect(() => seatId("A", "1", 1.5)).toThrow(RangeError);
  });

  it("seat ids: a seat definition needs a well-formed id, row and positive number", () => {
    expect(SeatDefinition.safeParse({ id: "A-1-1", row: "1", number: 1, x: 0.5, priceCategoryId: "cat" }).success).toBe(
      true,
    );
    expect(SeatDefinition.safeParse({ id: "A-1-1", row: "1", number: 0 }).success).toBe(false);
  });

  it("seat ids: a snapshot schema accepts an empty partition and refuses other versions", () => {
    expect(SeatSnapshot.safeParse({ version: 1, endedHoldLimit: 10, areas: [] }).success).toBe(true);
    expect(SeatSnapshot.safeParse({ version: 2, endedHoldLimit: 10, areas: [] }).success).toBe(false);
  });
});

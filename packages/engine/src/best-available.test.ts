import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { CONFIG, commandsFor, loaded, only, range, run, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const H = uuid(1);
const ids = (row: string, numbers: number[]) => numbers.map((n) => `A-${row}-${n}`);

/** The seats a best-available request for `quantity` would hold. */
function pick(state: ReturnType<typeof loaded>, quantity: number): string[] {
  return only(decide(state, A.best(H, "buyer", quantity)), "SeatsHeld").seatIds;
}

describe("best available", () => {
  it("best available: keeps a group side by side in the front row, centred", () => {
    const state = loaded([
      ["1", range(1, 10)],
      ["2", range(1, 10)],
    ]);
    const held = only(decide(state, A.best(H, "buyer", 4)), "SeatsHeld");
    expect(held.seatIds).toEqual(ids("1", [4, 5, 6, 7]));
    expect(held.mode).toBe("best_available");
  });

  it("best available: prefers a front row off-centre to a centred seat further back", () => {
    const state = loaded([
      ["1", range(1, 10)],
      ["2", range(1, 10)],
    ]);
    run(state, A.block(ids("1", range(4, 10))));
    expect(pick(state, 3)).toEqual(ids("1", [1, 2, 3]));
  });

  it("best available: moves back a row when the front row has no run long enough", () => {
    const state = loaded([
      ["1", range(1, 8)],
      ["2", range(1, 8)],
    ]);
    run(state, A.block(ids("1", [3, 6]))); // row 1 runs: 1-2, 4-5, 7-8
    expect(pick(state, 3)).toEqual(ids("2", [3, 4, 5]));
  });

  it("best available: a gap in seat numbers breaks side by side", () => {
    const state = loaded([
      ["1", [1, 2, 3, 5, 6, 7]],
      ["2", range(1, 8)],
    ]);
    expect(pick(state, 4)).toEqual(ids("2", [3, 4, 5, 6]));
    expect(pick(state, 3)).toEqual(ids("1", [1, 2, 3]));
  });

  it("best available: does not strand a single seat when an equally central block avoids it", () => {
    const state = loaded([["1", range(1, 11)]]); // centre 6
    run(state, A.block(ids("1", [1, 9, 10, 11]))); // run 2-8
    // 4-7 and 5-8 are equally central; 4-7 would strand seat 8.
    expect(pick(state, 4)).toEqual(ids("1", [5, 6, 7, 8]));
  });

  it("best available: goes off-centre in the same row rather than strand a single seat", () => {
    const state = loaded([["1", range(1, 12)]]); // centre 6.5
    run(state, A.block(ids("1", [4, 9, 10, 11, 12]))); // runs 1-3 and 5-8
    expect(pick(state, 3)).toEqual(ids("1", [1, 2, 3]));
  });

  it("best available: accepts a stranded seat rather than a worse row", () => {
    const state = loaded([
      ["1", range(1, 10)],
      ["2", range(1, 10)],
    ]);
    run(state, A.block(ids("1", [1, 2, 3, 8, 9, 10]))); // run 4-7
    expect(pick(state, 3)).toHaveLength(3);
    expect(pick(state, 3).every((id) => id.startsWith("A-1-"))).toBe(true);
  });

  it("best available: splits into the largest pieces in adjacent rows when no row has room", () => {
    const state = loaded([
      ["1", range(1, 6)],
      ["2", range(1, 6)],
      ["3", range(1, 6)],
      ["4", range(1, 6)],
    ]);
    run(
      state,
      A.block([...ids("1", [3, 4, 5, 6]), ...ids("2", [1, 2, 3]), ...ids("3", [4, 5, 6]), ...ids("4", [1, 3, 5])]),
    );
    // Runs: row 1 [1-2], row 2 [4-6], row 3 [1-3], row 4 singles. Largest first (row 2), then the
    // pair nearest to it (row 1 and row 3 tie on distance: the front row wins). No singles used.
    expect(pick(state, 5)).toEqual([...ids("1", [1, 2]), ...ids("2", [4, 5, 6])]);
  });

  it("best available: the last piece of a split is cut from the nearest run, centred", () => {
    const state = loaded([
      ["1", range(1, 3)],
      ["2", range(1, 9)],
      ["3", range(1, 9)],
    ]);
    run(state, A.block([...ids("2", [4, 5, 6]), ...ids("3", [1, 2, 3, 7, 8, 9])]));
    // Row 1 [1-3], row 2 [1-3] and [7-9], row 3 [4-6]: 3 + 1 from the row next to row 1.
    const seats = pick(state, 4);
    expect(seats.slice(0, 3)).toEqual(ids("1", [1, 2, 3]));
    expect(seats[3]).toMatch(/^A-2-/);
  });

  it("best available: takes every last seat when the area is that fragmented", () => {
    const state = loaded([["1", range(1, 6)]]);
    run(state, A.block(ids("1", [2, 4, 6])));
    expect(pick(state, 3)).toEqual(ids("1", [1, 3, 5]));
  });

  it("best available: rejects a quantity above the available seats, holding nothing", () => {
    const state = loaded([["1", range(1, 4)]], { ...CONFIG, maxSeatsPerHold: 6 });
    run(state, A.block(ids("1", [1])));
    const rejected = only(run(state, A.best(uuid(2), "buyer", 4)), "HoldRejected");
    expect(rejected).toMatchObject({ reason: "unavailable", unavailable: [] });
    expect(pick(state, 3)).toEqual(ids("1", [2, 3, 4]));
  });
});

import { describe, expect, it } from "vitest";
import { apply } from "./apply.ts";
import { SeatInvariantError } from "./errors.ts";
import { holdView } from "./hold-view.ts";
import { fromSnapshot, toSnapshot } from "./snapshot.ts";
import { createPartitionState } from "./state.ts";
import { commandsFor, loaded, range, run, SESSION, seatDefs, uuid } from "./test-fixtures.ts";
import { checkInvariants, roundTrip } from "./test-invariants.ts";

const A = commandsFor("A");
const B = commandsFor("B");
const ROWS = [
  ["1", range(1, 5)],
  ["2", range(1, 5)],
] as const;

describe("snapshot", () => {
  it("snapshot: the same logical state gives the same snapshot whatever the order of history", () => {
    const one = createPartitionState();
    run(one, A.load(seatDefs("A", ROWS)), B.load(seatDefs("B", ROWS)));
    run(one, A.hold(uuid(1), "alice", ["A-1-1"]), A.hold(uuid(2), "bob", ["A-2-2"]), A.block(["A-1-5", "A-1-4"]));
    const two = createPartitionState();
    run(two, B.load(seatDefs("B", ROWS)), A.load(seatDefs("A", ROWS)));
    run(
      two,
      A.block(["A-1-4"]),
      A.hold(uuid(2), "bob", ["A-2-2"]),
      A.block(["A-1-5"]),
      A.hold(uuid(1), "alice", ["A-1-1"]),
    );
    expect(toSnapshot(two)).toEqual(toSnapshot(one));
  });

  it("snapshot: survives JSON and restores an equal, working state", () => {
    const state = loaded(ROWS);
    run(
      state,
      A.hold(uuid(1), "alice", ["A-1-1", "A-1-2"], 5),
      A.hold(uuid(2), "bob", ["A-2-1"]),
      A.confirm(uuid(2), "pay"),
    );
    run(state, A.hold(uuid(3), "carol", ["A-1-1"]), A.block(["A-2-5"]));
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state))));
    checkInvariants(restored);
    expect(toSnapshot(restored)).toEqual(toSnapshot(state));
    expect(holdView(restored, SESSION, "A", uuid(3))).toMatchObject({ status: "rejected", reason: "unavailable" });
    // Derived counters are rebuilt: the buyer limit and availability still hold after restore.
    const next = A.best(uuid(4), "alice", 2, 6);
    expect(apply(restored, next).events).toEqual(apply(state, next).events);
  });

  it("snapshot: remembers a bounded number of ended holds, oldest forgotten first", () => {
    const state = createPartitionState({ endedHoldLimit: 2 });
    run(state, A.load(seatDefs("A", ROWS)));
    for (const n of [1, 2, 3]) run(state, A.hold(uuid(n), "alice", ["A-1-1"], n), A.release(uuid(n), "alice", n));
    expect(toSnapshot(state).areas[0]!.ended.map((e) => e.holdId)).toEqual([uuid(2), uuid(3)]);
    expect(holdView(state, SESSION, "A", uuid(1))).toBeUndefined();
    expect(roundTrip(state)).toEqual(toSnapshot(state));
  });

  it("snapshot: refuses a snapshot that puts a seat in two holds", () => {
    const state = loaded(ROWS);
    run(state, A.hold(uuid(1), "alice", ["A-1-1"]), A.hold(uuid(2), "bob", ["A-1-2"]));
    const snapshot = toSnapshot(state);
    snapshot.areas[0]!.holds[1]!.seatIds = ["A-1-1"];
    expect(() => fromSnapshot(snapshot)).toThrow(SeatInvariantError);
    expect(() => fromSnapshot({ version: 99 })).toThrow(SeatInvariantError);
  });
});

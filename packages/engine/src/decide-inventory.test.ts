import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { areaStats, seatMap, seatState } from "./queries.ts";
import { toSnapshot } from "./snapshot.ts";
import { createPartitionState } from "./state.ts";
import { CONFIG, commandsFor, loaded, only, range, run, SESSION, seatDefs, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const ROWS = [
  ["1", range(1, 4)],
  ["2", range(1, 4)],
] as const;

describe("inventory", () => {
  it("inventory: a load opens the area with its seats available, rows in listed order", () => {
    const state = createPartitionState();
    const seats = seatDefs("A", [
      ["C", [2, 1]],
      ["B", [1]],
    ]);
    const loadedEvent = only(
      run(state, A.load([{ ...seats[0]!, x: 1.5, priceCategoryId: "p1" }, ...seats.slice(1)])),
      "InventoryLoaded",
    );
    expect(loadedEvent).toMatchObject({ seatCount: 3, config: CONFIG });
    expect(loadedEvent.seats[0]).toMatchObject({ x: 1.5, priceCategoryId: "p1" });
    expect(seatMap(state, SESSION, "A").map((s) => s.seatId)).toEqual(["A-C-1", "A-C-2", "A-B-1"]);
    expect(areaStats(state, SESSION, "A")).toEqual({
      seats: 3,
      available: 3,
      held: 0,
      sold: 0,
      blocked: 0,
      liveHolds: 0,
    });
  });

  it("inventory: reloading the same inventory emits nothing", () => {
    const state = loaded(ROWS);
    expect(decide(state, A.load(seatDefs("A", ROWS)))).toEqual([]);
  });

  it("inventory: a reload keeps held, sold and blocked seats, adds new seats and takes the new config", () => {
    const state = loaded(ROWS);
    run(
      state,
      A.hold(uuid(1), "alice", ["A-1-1"]),
      A.hold(uuid(2), "bob", ["A-1-2"]),
      A.confirm(uuid(2), "pay"),
      A.block(["A-1-3"]),
    );
    const config = { ...CONFIG, holdTtlMs: 1_000 };
    const event = only(
      run(
        state,
        A.load(
          seatDefs("A", [
            ["1", range(1, 5)],
            ["2", range(1, 4)],
            ["3", [1]],
          ]),
          config,
          10,
        ),
      ),
      "InventoryLoaded",
    );
    expect(event.seats.map((s) => s.id)).toEqual(["A-1-5", "A-3-1"]);
    expect(event.seatCount).toBe(10);
    expect(seatState(state, SESSION, "A", "A-1-1")?.status).toBe("held");
    expect(seatState(state, SESSION, "A", "A-1-2")?.status).toBe("sold");
    expect(seatState(state, SESSION, "A", "A-1-3")?.status).toBe("blocked");
    expect(only(run(state, A.hold(uuid(3), "carol", ["A-1-5"], 20)), "SeatsHeld").expiresAt).toBe(1_020);
  });

  it("inventory: rejects seat ids that do not match their area, row and number", () => {
    const state = createPartitionState();
    const bad = only(run(state, A.load([{ id: "B-1-1", row: "1", number: 1 }])), "InventoryRejected");
    expect(bad.detail).toContain("B-1-1");
    expect(only(decide(state, A.load([{ id: "A-1-2", row: "1", number: 1 }])), "InventoryRejected").reason).toBe(
      "invalid",
    );
    expect(
      only(decide(state, A.load([...seatDefs("A", [["1", [1]]]), ...seatDefs("A", [["1", [1]]])])), "InventoryRejected")
        .detail,
    ).toContain("twice");
    expect(
      only(decide(state, A.load(seatDefs("A", ROWS), { ...CONFIG, holdTtlMs: 0 })), "InventoryRejected").detail,
    ).toContain("config");
    expect(state.areas.size).toBe(0);
  });
});

describe("blocks", () => {
  it("blocks: blocked seats are never offered until unblocked", () => {
    const state = loaded([["1", range(1, 3)]]);
    expect(only(run(state, A.block(["A-1-2", "A-1-1"])), "SeatsBlocked").seatIds).toEqual(["A-1-1", "A-1-2"]);
    expect(only(run(state, A.best(uuid(1), "alice", 2)), "HoldRejected").reason).toBe("unavailable");
    expect(only(run(state, A.unblock(["A-1-1", "A-1-3"])), "SeatsUnblocked").seatIds).toEqual(["A-1-1"]);
    expect(only(run(state, A.best(uuid(2), "alice", 1)), "SeatsHeld").seatIds).toHaveLength(1);
  });

  it("blocks: rejects blocking held or sold seats, naming them, and blocks none", () => {
    const state = loaded(ROWS);
    run(state, A.hold(uuid(1), "alice", ["A-1-1"]), A.hold(uuid(2), "bob", ["A-2-2"]), A.confirm(uuid(2), "pay"));
    const rejected = only(run(state, A.block(["A-2-2", "A-1-3", "A-1-1"])), "BlockRejected");
    expect(rejected).toMatchObject({ reason: "unavailable", unavailable: ["A-1-1", "A-2-2"] });
    expect(seatState(state, SESSION, "A", "A-1-3")?.status).toBe("available");
  });

  it("blocks: rejects unknown, repeated and empty seat lists and unloaded areas", () => {
    const state = loaded(ROWS);
    expect(only(decide(state, A.block(["A-1-1", "A-7-7"])), "BlockRejected")).toMatchObject({
      reason: "unknown_seats",
      unavailable: ["A-7-7"],
    });
    expect(only(decide(state, A.block(["A-1-1", "A-1-1"])), "BlockRejected").reason).toBe("invalid");
    expect(only(decide(state, A.unblock([])), "UnblockRejected").reason).toBe("invalid");
    expect(only(decide(state, commandsFor("B").block(["B-1-1"])), "BlockRejected").reason).toBe("not_on_sale");
    expect(only(decide(state, commandsFor("B").unblock(["B-1-1"])), "UnblockRejected").reason).toBe("not_on_sale");
  });

  it("blocks: blocking blocked seats or unblocking free ones changes nothing", () => {
    const state = loaded(ROWS);
    run(state, A.block(["A-1-1"]));
    const before = toSnapshot(state);
    expect(decide(state, A.block(["A-1-1"]))).toEqual([]);
    expect(decide(state, A.unblock(["A-1-2"]))).toEqual([]);
    expect(toSnapshot(state)).toEqual(before);
  });
});

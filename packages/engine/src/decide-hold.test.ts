import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { holdView } from "./hold-view.ts";
import { seatState } from "./queries.ts";
import { toSnapshot } from "./snapshot.ts";
import { CONFIG, commandsFor, loaded, only, range, run, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const [H1, H2, H3] = [uuid(1), uuid(2), uuid(3)];
const ROWS = [
  ["1", range(1, 10)],
  ["2", range(1, 10)],
] as const;

describe("holds", () => {
  it("holds: holds free seats for the buyer until now + holdTtlMs, in venue order", () => {
    const state = loaded(ROWS);
    const held = only(run(state, A.hold(H1, "alice", ["A-2-1", "A-1-5"], 1_000)), "SeatsHeld");
    expect(held).toMatchObject({
      holdId: H1,
      buyerId: "alice",
      seatIds: ["A-1-5", "A-2-1"],
      expiresAt: 1_000 + CONFIG.holdTtlMs,
      maxExpiresAt: 1_000 + CONFIG.holdTtlMs + CONFIG.maxHoldExtensionMs,
      mode: "seats",
      sessionId: SESSION,
      areaId: "A",
      at: 1_000,
    });
    expect(seatState(state, SESSION, "A", "A-1-5")).toEqual({ status: "held", holdId: H1 });
  });

  it("holds: rejects a held seat, naming it, and holds none of the others (all or nothing)", () => {
    const state = loaded(ROWS);
    run(state, A.hold(H1, "alice", ["A-1-2"]));
    const rejected = only(run(state, A.hold(H2, "bob", ["A-1-1", "A-1-2", "A-1-3"])), "HoldRejected");
    expect(rejected).toMatchObject({ reason: "unavailable", unavailable: ["A-1-2"], buyerId: "bob" });
    expect(seatState(state, SESSION, "A", "A-1-1")?.status).toBe("available");
    expect(seatState(state, SESSION, "A", "A-1-3")?.status).toBe("available");
  });

  it("holds: rejects a sold seat", () => {
    const state = loaded(ROWS);
    run(state, A.hold(H1, "alice", ["A-1-4"]), A.confirm(H1, "pay-1", 10));
    const rejected = only(run(state, A.hold(H2, "bob", ["A-1-4"], 20)), "HoldRejected");
    expect(rejected).toMatchObject({ reason: "unavailable", unavailable: ["A-1-4"] });
  });

  it("holds: rejects a blocked seat", () => {
    const state = loaded(ROWS);
    run(state, A.block(["A-1-4"]));
    expect(only(run(state, A.hold(H1, "bob", ["A-1-4"])), "HoldRejected").reason).toBe("unavailable");
  });

  it("holds: rejects unknown seats and seats of another area as unknown_seats", () => {
    const state = loaded(ROWS);
    const rejected = only(run(state, A.hold(H1, "alice", ["A-1-1", "A-9-1", "B-1-1"])), "HoldRejected");
    expect(rejected).toMatchObject({ reason: "unknown_seats", unavailable: ["A-9-1", "B-1-1"] });
    expect(seatState(state, SESSION, "A", "A-1-1")?.status).toBe("available");
  });

  it("holds: rejects empty and repeated seat lists as invalid", () => {
    const state = loaded(ROWS);
    expect(only(decide(state, A.hold(H1, "alice", [])), "HoldRejected").reason).toBe("invalid");
    const repeated = only(decide(state, A.hold(H2, "alice", ["A-1-1", "A-1-1"])), "HoldRejected");
    expect(repeated).toMatchObject({ reason: "invalid", unavailable: ["A-1-1"] });
  });

  it("holds: rejects an area whose inventory is not loaded as not_on_sale", () => {
    const state = loaded(ROWS);
    const rejected = only(run(state, commandsFor("B").hold(H1, "alice", ["B-1-1"])), "HoldRejected");
    expect(rejected.reason).toBe("not_on_sale");
    expect(only(run(state, commandsFor("A", uuid(99)).best(H2, "alice", 1)), "HoldRejected").reason).toBe(
      "not_on_sale",
    );
  });

  it("holds: rejects more seats than maxSeatsPerHold", () => {
    const state = loaded(ROWS);
    const seats = range(1, CONFIG.maxSeatsPerHold + 1).map((n) => `A-1-${n}`);
    expect(only(run(state, A.hold(H1, "alice", seats)), "HoldRejected")).toMatchObject({
      reason: "limit_exceeded",
      limit: "per_hold",
    });
    expect(only(run(state, A.best(H2, "alice", CONFIG.maxSeatsPerHold + 1)), "HoldRejected").limit).toBe("per_hold");
  });

  it("holds: counts live and sold seats against maxSeatsPerBuyer, and frees the allowance on release", () => {
    const state = loaded(ROWS); // maxSeatsPerBuyer 8
    run(state, A.hold(H1, "alice", ["A-1-1", "A-1-2", "A-1-3"]), A.confirm(H1, "pay-1", 1));
    run(state, A.hold(H2, "alice", ["A-2-1", "A-2-2", "A-2-3", "A-2-4"], 2));
    const over = only(run(state, A.hold(H3, "alice", ["A-2-8", "A-2-9"], 3)), "HoldRejected");
    expect(over).toMatchObject({ reason: "limit_exceeded", limit: "per_buyer" });
    expect(only(decide(state, A.best(uuid(4), "alice", 2, 3)), "HoldRejected").limit).toBe("per_buyer");
    expect(only(decide(state, A.hold(uuid(5), "alice", ["A-2-9"], 3)), "SeatsHeld").seatIds).toEqual(["A-2-9"]);
    run(state, A.release(H2, "alice", 4));
    expect(only(run(state, A.hold(uuid(6), "alice", ["A-2-8", "A-2-9"], 5)), "SeatsHeld").seatIds).toHaveLength(2);
  });

  it("holds: a repeated hold id changes nothing and answers with the live hold", () => {
    const state = loaded(ROWS);
    run(state, A.hold(H1, "alice", ["A-1-1"], 5));
    const before = toSnapshot(state);
    const duplicate = only(run(state, A.hold(H1, "alice", ["A-1-1"], 6)), "HoldDuplicate");
    expect(duplicate.hold).toEqual({
      holdId: H1,
      buyerId: "alice",
      status: "held",
      seatIds: ["A-1-1"],
      expiresAt: 5 + CONFIG.holdTtlMs,
      maxExpiresAt: 5 + CONFIG.holdTtlMs + CONFIG.maxHoldExtensionMs,
    });
    // Even as a best-available request for other seats: the id is what counts.
    expect(only(run(state, A.best(H1, "alice", 3, 7)), "HoldDuplicate").hold.status).toBe("held");
    expect(toSnapshot(state)).toEqual(before);
  });

  it("holds: a repeated hold id of a sold, rejected or released hold answers with that outcome", () => {
    const state = loaded(ROWS);
    run(state, A.hold(H1, "alice", ["A-1-1"]), A.confirm(H1, "pay-1", 1));
    run(state, A.hold(H2, "bob", ["A-1-1"], 2));
    run(state, A.hold(H3, "carol", ["A-1-2"], 3), A.release(H3, "carol", 4));
    const before = toSnapshot(state);
    expect(only(run(state, A.hold(H1, "alice", ["A-1-1"], 9)), "HoldDuplicate").hold).toMatchObject({
      status: "sold",
      paymentId: "pay-1",
    });
    expect(only(run(state, A.hold(H2, "bob", ["A-1-1"], 9)), "HoldDuplicate").hold).toMatchObject({
      status: "rejected",
      reason: "unavailable",
    });
    // The seat is free again, yet the duplicate must not become a new hold.
    expect(only(run(state, A.hold(H3, "carol", ["A-1-2"], 9)), "HoldDuplicate").hold).toMatchObject({
      status: "released",
      seatIds: [],
    });
    expect(toSnapshot(state)).toEqual(before);
    expect(holdView(state, SESSION, "A", H3)?.status).toBe("released");
  });
});

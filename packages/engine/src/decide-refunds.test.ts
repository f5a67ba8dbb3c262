import { describe, expect, it } from "vitest";
import { apply } from "./apply.ts";
import { seatState } from "./queries.ts";
import { fromSnapshot, toSnapshot } from "./snapshot.ts";
import { commandsFor, loaded, only, range, run, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const [SOLD, LIVE, OTHER] = [uuid(1), uuid(2), uuid(3)];
const status = (state: ReturnType<typeof loaded>, seat: string) => seatState(state, SESSION, "A", seat)?.status;
const areaOf = (state: ReturnType<typeof loaded>) => state.areas.values().next().value!;

/** Row 1 seats 1-6: alice bought 1-2, bob holds 3, seat 6 is blocked. */
const sale = () => {
  const state = loaded([["1", range(1, 6)]]);
  run(state, A.hold(SOLD, "alice", ["A-1-1", "A-1-2"], 0), A.confirm(SOLD, "pay-1", 1), A.hold(LIVE, "bob", ["A-1-3"], 2), A.block(["A-1-6"], 3));
  return state;
};

describe("refunds", () => {
  it("refunds: a sold hold's seats go back on sale and the buyer's allowance with them", () => {
    const state = sale();
    const event = only(run(state, A.refund(SOLD, 10)), "HoldRefunded");
    expect(event).toMatchObject({ holdId: SOLD, buyerId: "alice", paymentId: "pay-1", seatIds: ["A-1-1", "A-1-2"], reason: "refund" });
    expect(status(state, "A-1-1")).toBe("available");
    expect(areaOf(state).buyerSeats.get("alice")).toBeUndefined();
    // The seats sell again; a late confirm of the refunded hold is refused (its payment is refunded too).
    expect(only(run(state, A.hold(OTHER, "carol", ["A-1-1"], 11)), "SeatsHeld").seatIds).toEqual(["A-1-1"]);
    expect(only(run(state, A.confirm(SOLD, "pay-1", 12)), "ConfirmRejected").reason).toBe("released");
  });

  it("refunds: a repeat, a live hold and an unknown hold change nothing", () => {
    const state = sale();
    run(state, A.refund(SOLD, 10));
    const before = JSON.stringify(toSnapshot(state));
    expect(run(state, A.refund(SOLD, 11))).toEqual([]);
    expect(run(state, A.refund(LIVE, 11))).toEqual([]);
    expect(run(state, A.refund(OTHER, 11))).toEqual([]);
    expect(JSON.stringify(toSnapshot(state))).toBe(before);
  });
});

describe("cancellation", () => {
  it("cancellation: ends live holds, gives sold seats back, then blocks every seat", () => {
    const state = sale();
    const events = run(state, A.cancel(20));
    expect(events.map((e) => e.type)).toEqual(["HoldReleased", "HoldRefunded", "SeatsBlocked"]);
    expect(events[1]).toMatchObject({ holdId: SOLD, reason: "session_cancelled" });
    // The seat already blocked is not blocked twice.
    expect(events[2]).toMatchObject({ seatIds: ["A-1-1", "A-1-2", "A-1-3", "A-1-4", "A-1-5"], reason: "session_cancelled" });
    for (const n of range(1, 6)) expect(status(state, `A-1-${n}`)).toBe("blocked");
    const area = areaOf(state);
    expect([area.holds.size, area.sold.size, area.available, area.buyerSeats.size]).toEqual([0, 0, 0, 0]);
  });

  it("cancellation: nothing sells after it, a late confirm is refused, and a repeat changes nothing", () => {
    const state = sale();
    run(state, A.cancel(20));
    expect(only(run(state, A.hold(OTHER, "carol", ["A-1-4"], 21)), "HoldRejected").reason).toBe("unavailable");
    expect(only(run(state, A.best(uuid(9), "carol", 1, 21)), "HoldRejected")).toBeDefined();
    expect(only(run(state, A.confirm(LIVE, "pay-2", 22)), "ConfirmRejected").reason).toBe("released");
    expect(run(state, A.cancel(23))).toEqual([]);
    // An area this partition never loaded has nothing to cancel.
    expect(run(state, commandsFor("B").cancel(23))).toEqual([]);
  });

  it("cancellation: survives a snapshot round trip", () => {
    const state = sale();
    const { events } = apply(state, A.cancel(20));
    expect(events).toHaveLength(3);
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state))));
    expect(toSnapshot(restored)).toEqual(toSnapshot(state));
    expect(run(restored, A.cancel(24))).toEqual([]);
  });
});

import type { SeatEvent } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { seatState } from "./queries.ts";
import { fromSnapshot, toSnapshot } from "./snapshot.ts";
import { commandsFor, loaded, only, range, run, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const [H1, H2, H3, W1, W2, W3, RACER] = [uuid(1), uuid(2), uuid(3), uuid(11), uuid(12), uuid(13), uuid(20)];
type State = ReturnType<typeof loaded>;
const status = (state: State, seat: string) => seatState(state, SESSION, "A", seat)?.status;
const holder = (state: State, seat: string) => seatState(state, SESSION, "A", seat)?.holdId;
const types = (events: SeatEvent[]) => events.map((event) => event.type);

/** Row 1 seats 1-4, sold out: alice holds 1-2 (expires at 60 000), bob bought 3-4. */
const soldOut = () => {
  const state = loaded([["1", range(1, 4)]]);
  run(state, A.hold(H1, "alice", ["A-1-1", "A-1-2"], 0), A.hold(H2, "bob", ["A-1-3", "A-1-4"], 0), A.confirm(H2, "pay-2", 1));
  return state;
};

describe("waitlist", () => {
  it("waitlist: joins a sold-out area in order; a second join keeps the first place", () => {
    const state = soldOut();
    expect(only(run(state, A.join(W1, "carol", 2, 10)), "WaitlistJoined")).toMatchObject({ entryId: W1, position: 1, seq: 1 });
    expect(only(run(state, A.join(W2, "dave", 1, 11)), "WaitlistJoined")).toMatchObject({ entryId: W2, position: 2, seq: 2 });
    const again = only(run(state, A.join(W3, "carol", 1, 12)), "WaitlistAlreadyJoined");
    expect(again).toMatchObject({ entryId: W1, quantity: 2, position: 1 });
  });

  it("waitlist: refuses to join while the seats can be bought, over the caps, or for an unloaded area", () => {
    const state = loaded([["1", range(1, 4)]]);
    const reject = (events: SeatEvent[]) => only(events, "WaitlistJoinRejected");
    expect(reject(run(state, A.join(W1, "carol", 2, 1)))).toMatchObject({ reason: "seats_available", available: 4 });
    expect(reject(run(state, A.join(W1, "carol", 7, 1))).reason).toBe("limit_exceeded");
    expect(reject(run(state, commandsFor("Z").join(W1, "carol", 1, 1))).reason).toBe("not_on_sale");
    run(state, A.hold(H1, "alice", ["A-1-1", "A-1-2", "A-1-3"], 2));
    // One seat left: a buyer who wants two may wait, and the hold id of the entry must be new.
    expect(reject(run(state, A.join(H1, "carol", 2, 3))).reason).toBe("invalid");
    expect(only(run(state, A.join(W1, "carol", 2, 3)), "WaitlistJoined").position).toBe(1);
  });

  it("waitlist: an expiry offers the freed seats to the front of the list, held for the offer window", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 2, 10, 5_000), A.join(W2, "dave", 2, 11, 5_000));
    const events = run(state, A.expire(H1, 60_000));
    expect(types(events)).toEqual(["HoldExpired", "SeatsHeld", "WaitlistOffered"]);
    expect(events[1]).toMatchObject({ holdId: W1, buyerId: "carol", mode: "offer", seatIds: ["A-1-1", "A-1-2"], expiresAt: 65_000 });
    expect(events[2]).toMatchObject({ entryId: W1, holdId: W1, buyerId: "carol", expiresAt: 65_000 });
    expect(holder(state, "A-1-1")).toBe(W1);
    // carol is off the list; dave is now first.
    expect(only(run(state, A.join(W3, "dave", 2, 60_001)), "WaitlistAlreadyJoined").position).toBe(1);
  });

  it("waitlist: a racer on the seat map is refused an offered seat", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 2, 10));
    run(state, A.release(H1, "alice", 20));
    const racer = only(run(state, A.hold(RACER, "eve", ["A-1-1"], 21)), "HoldRejected");
    expect(racer).toMatchObject({ reason: "unavailable", unavailable: ["A-1-1"] });
    expect(status(state, "A-1-1")).toBe("held");
  });

  it("waitlist: an offer not taken in time passes to the next on the list, who can buy it", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 2, 10, 5_000), A.join(W2, "dave", 2, 11, 5_000));
    run(state, A.expire(H1, 60_000));
    const lapse = run(state, A.expire(W1, 65_000));
    expect(types(lapse)).toEqual(["HoldExpired", "SeatsHeld", "WaitlistOffered"]);
    expect(lapse[0]).toMatchObject({ holdId: W1, buyerId: "carol" });
    expect(lapse[2]).toMatchObject({ holdId: W2, buyerId: "dave", seatIds: ["A-1-1", "A-1-2"] });
    expect(only(run(state, A.confirm(W2, "pay-3", 66_000)), "SeatsSold")).toMatchObject({ buyerId: "dave", seatIds: ["A-1-1", "A-1-2"] });
    // carol's lapsed offer cannot be paid any more.
    expect(only(run(state, A.confirm(W1, "pay-4", 66_001)), "ConfirmRejected").reason).toBe("expired");
  });

  it("waitlist: seats go to the first entry that fits; a bigger wish keeps its place", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 4, 10), A.join(W2, "dave", 1, 11), A.join(W3, "erin", 1, 12));
    const events = run(state, A.refund(H2, 20));
    expect(types(events)).toEqual(["HoldRefunded", "SeatsHeld", "WaitlistOffered", "SeatsHeld", "WaitlistOffered"]);
    expect(events.filter((e) => e.type === "WaitlistOffered").map((e) => e.buyerId)).toEqual(["dave", "erin"]);
    expect(only(run(state, A.join(uuid(30), "carol", 4, 21)), "WaitlistAlreadyJoined").position).toBe(1);
  });

  it("waitlist: a leave changes nothing the second time; a cancellation empties the list", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 1, 10), A.join(W2, "dave", 1, 11));
    expect(only(run(state, A.leave("carol", 12)), "WaitlistLeft")).toMatchObject({ entryId: W1, reason: "left" });
    expect(run(state, A.leave("carol", 13))).toEqual([]);
    const cancel = run(state, A.cancel(14));
    expect(cancel.filter((e) => e.type === "SeatsHeld")).toEqual([]);
    expect(cancel.find((e) => e.type === "WaitlistLeft")).toMatchObject({ buyerId: "dave", reason: "session_cancelled" });
    expect(state.areas.values().next().value!.waitlist.size).toBe(0);
  });

  it("waitlist: the list and its order survive a snapshot", () => {
    const state = soldOut();
    run(state, A.join(W1, "carol", 2, 10), A.join(W2, "dave", 1, 11), A.leave("carol", 12), A.join(W3, "erin", 1, 13));
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state))));
    expect(toSnapshot(restored)).toEqual(toSnapshot(state));
    const joined = only(run(restored, A.join(H3, "frank", 1, 14)), "WaitlistJoined");
    expect(joined).toMatchObject({ seq: 4, position: 3 });
  });
});

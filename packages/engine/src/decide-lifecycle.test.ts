import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { seatState } from "./queries.ts";
import { toSnapshot } from "./snapshot.ts";
import { CONFIG, commandsFor, loaded, only, range, run, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const [H1, H2] = [uuid(1), uuid(2)];
const TTL = CONFIG.holdTtlMs; // 60 s
const CAP = CONFIG.holdTtlMs + CONFIG.maxHoldExtensionMs; // 180 s after creation
const fresh = () => {
  const state = loaded([["1", range(1, 6)]]);
  run(state, A.hold(H1, "alice", ["A-1-1", "A-1-2"], 0));
  return state;
};
const status = (state: ReturnType<typeof fresh>, seat: string) => seatState(state, SESSION, "A", seat)?.status;

describe("release", () => {
  it("release: the owner frees the seats and the buyer allowance", () => {
    const state = fresh();
    expect(only(run(state, A.release(H1, "alice", 5)), "HoldReleased")).toMatchObject({
      buyerId: "alice",
      seatIds: ["A-1-1", "A-1-2"],
    });
    expect(status(state, "A-1-1")).toBe("available");
    expect(state.areas.values().next().value?.buyerSeats.size).toBe(0);
  });

  it("release: only the owner may release", () => {
    const state = fresh();
    expect(only(run(state, A.release(H1, "mallory", 5)), "ReleaseRejected")).toMatchObject({
      reason: "not_owner",
      holdStatus: "held",
    });
    expect(status(state, "A-1-1")).toBe("held");
  });

  it("release: rejects unknown, sold and already released holds, changing nothing", () => {
    const state = fresh();
    expect(only(run(state, A.release(H2, "alice")), "ReleaseRejected").reason).toBe("unknown_hold");
    run(state, A.hold(H2, "alice", ["A-1-5"]), A.confirm(H2, "pay", 1));
    expect(only(run(state, A.release(H2, "alice", 2)), "ReleaseRejected").reason).toBe("already_sold");
    run(state, A.release(H1, "alice", 3));
    const before = toSnapshot(state);
    expect(only(run(state, A.release(H1, "alice", 4)), "ReleaseRejected")).toMatchObject({
      reason: "already_ended",
      holdStatus: "released",
    });
    expect(toSnapshot(state)).toEqual(before);
  });
});

describe("extend", () => {
  it("extend: keeps the hold until now + byMs", () => {
    const state = fresh();
    const extended = only(run(state, A.extend(H1, 90_000, 10_000, "alice")), "HoldExtended");
    expect(extended).toMatchObject({
      previousExpiresAt: TTL,
      expiresAt: 100_000,
      maxExpiresAt: CAP,
      capped: false,
      seatIds: ["A-1-1", "A-1-2"],
    });
  });

  it("extend: never past createdAt + holdTtlMs + maxHoldExtensionMs", () => {
    const state = fresh();
    expect(only(run(state, A.extend(H1, 170_000, 50_000)), "HoldExtended")).toMatchObject({
      expiresAt: CAP,
      capped: true,
    });
    expect(only(run(state, A.extend(H1, 100_000, 150_000)), "HoldExtended")).toMatchObject({
      expiresAt: CAP,
      capped: true,
    });
  });

  it("extend: never shortens a hold, and a redelivery extends nothing further", () => {
    const state = fresh();
    expect(only(run(state, A.extend(H1, 1_000, 10_000)), "HoldExtended").expiresAt).toBe(TTL);
    const command = A.extend(H1, 90_000, 10_000);
    run(state, command);
    expect(only(run(state, command), "HoldExtended").expiresAt).toBe(100_000);
  });

  it("extend: rejects another buyer, an unknown hold and a hold past its expiry (expiring it)", () => {
    const state = fresh();
    expect(only(decide(state, A.extend(H1, 1_000, 10, "mallory")), "ExtendRejected").reason).toBe("not_owner");
    expect(only(decide(state, A.extend(H2, 1_000, 10)), "ExtendRejected").reason).toBe("unknown_hold");
    const events = run(state, A.extend(H1, 1_000, TTL));
    expect(events.map((e) => e.type)).toEqual(["HoldExpired", "ExtendRejected"]);
    expect(events[1]).toMatchObject({ reason: "expired", holdStatus: "expired" });
    expect(status(state, "A-1-1")).toBe("available");
  });
});

describe("expire", () => {
  it("expire: frees the seats once due", () => {
    const state = fresh();
    expect(decide(state, A.expire(H1, TTL - 1))).toEqual([]);
    expect(only(run(state, A.expire(H1, TTL)), "HoldExpired")).toMatchObject({
      buyerId: "alice",
      seatIds: ["A-1-1", "A-1-2"],
      expiresAt: TTL,
    });
    expect(status(state, "A-1-2")).toBe("available");
  });

  it("expire: a timer for the old expiry is a no-op after an extension", () => {
    const state = fresh();
    run(state, A.extend(H1, 90_000, 30_000));
    expect(decide(state, A.expire(H1, TTL))).toEqual([]);
    expect(only(decide(state, A.expire(H1, 120_000)), "HoldExpired").expiresAt).toBe(120_000);
  });

  it("expire: a no-op for holds that are gone, sold or unknown", () => {
    const state = fresh();
    run(state, A.confirm(H1, "pay", 10));
    expect(decide(state, A.expire(H1, TTL * 10))).toEqual([]);
    expect(decide(state, A.expire(H2, TTL * 10))).toEqual([]);
    expect(decide(state, commandsFor("Z").expire(H1, TTL * 10))).toEqual([]);
  });
});

describe("confirm", () => {
  it("confirm: sells the seats of a live hold", () => {
    const state = fresh();
    expect(only(run(state, A.confirm(H1, "pay-1", TTL - 1)), "SeatsSold")).toMatchObject({
      holdId: H1,
      paymentId: "pay-1",
      buyerId: "alice",
      seatIds: ["A-1-1", "A-1-2"],
    });
    expect(seatState(state, SESSION, "A", "A-1-1")).toEqual({ status: "sold", holdId: H1 });
  });

  it("confirm: rejects a payment after expiry, so it is refunded, and frees the seats", () => {
    const state = fresh();
    const events = run(state, A.confirm(H1, "pay-1", TTL));
    expect(events.map((e) => e.type)).toEqual(["HoldExpired", "ConfirmRejected"]);
    expect(events[1]).toMatchObject({ reason: "expired", paymentId: "pay-1", buyerId: "alice" });
    expect(status(state, "A-1-1")).toBe("available");
    // Also once the ExpireHold has landed first.
    run(state, A.hold(H2, "bob", ["A-1-3"], 1), A.expire(H2, TTL + 1));
    expect(only(run(state, A.confirm(H2, "pay-2", TTL + 2)), "ConfirmRejected").reason).toBe("expired");
  });

  it("confirm: a repeated confirm answers with the sale; a second payment is rejected as already_sold", () => {
    const state = fresh();
    run(state, A.confirm(H1, "pay-1", 10));
    const before = toSnapshot(state);
    expect(only(run(state, A.confirm(H1, "pay-1", 11)), "HoldDuplicate").hold).toMatchObject({
      status: "sold",
      paymentId: "pay-1",
    });
    expect(only(run(state, A.confirm(H1, "pay-2", 12)), "ConfirmRejected").reason).toBe("already_sold");
    expect(toSnapshot(state)).toEqual(before);
  });

  it("confirm: rejects released, revoked and unknown holds", () => {
    const state = fresh();
    run(state, A.release(H1, "alice", 1));
    expect(only(run(state, A.confirm(H1, "p", 2)), "ConfirmRejected").reason).toBe("released");
    run(state, A.hold(H2, "bob", ["A-1-4"], 3), A.revoke(H2, 4));
    expect(only(run(state, A.confirm(H2, "p", 5)), "ConfirmRejected").reason).toBe("revoked");
    expect(only(run(state, A.confirm(uuid(3), "p", 5)), "ConfirmRejected").reason).toBe("unknown_hold");
  });
});

describe("revoke", () => {
  it("revoke: undoes a live hold and frees its seats", () => {
    const state = fresh();
    expect(only(run(state, A.revoke(H1, 1)), "HoldRevoked")).toMatchObject({
      buyerId: "alice",
      seatIds: ["A-1-1", "A-1-2"],
      reason: "fence",
    });
    expect(status(state, "A-1-1")).toBe("available");
    expect(only(run(state, A.hold(H2, "bob", ["A-1-1"], 2)), "SeatsHeld").buyerId).toBe("bob");
  });

  it("revoke: a no-op for a sold or unknown hold", () => {
    const state = fresh();
    run(state, A.confirm(H1, "pay", 1));
    expect(decide(state, A.revoke(H1, 2))).toEqual([]);
    expect(decide(state, A.revoke(H2, 2))).toEqual([]);
  });
});

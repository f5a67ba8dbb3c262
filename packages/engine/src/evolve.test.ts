import type { SeatEvent } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { SeatInvariantError } from "./errors.ts";
import { evolve } from "./evolve.ts";
import { toSnapshot } from "./snapshot.ts";
import { loaded, range, run, commandsFor, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const meta = { commandId: "c", sessionId: SESSION, areaId: "A", at: 1 };
const held = (holdId: string, seatIds: string[]): SeatEvent => ({
  ...meta,
  type: "SeatsHeld",
  holdId,
  buyerId: "x",
  seatIds,
  expiresAt: 10,
  maxExpiresAt: 20,
  mode: "seats",
});

describe("evolve", () => {
  it("evolve: refuses to put a taken seat in a second hold, leaving the state as it was", () => {
    const state = loaded([["1", range(1, 3)]]);
    run(state, A.hold(uuid(1), "alice", ["A-1-2"]));
    const before = toSnapshot(state);
    expect(() => evolve(state, held(uuid(2), ["A-1-1", "A-1-2"]))).toThrow(SeatInvariantError);
    expect(toSnapshot(state)).toEqual(before);
  });

  it("evolve: refuses events for unloaded areas and holds that are not live", () => {
    const state = loaded([["1", range(1, 3)]]);
    expect(() => evolve(state, { ...held(uuid(1), ["B-1-1"]), areaId: "B" })).toThrow(SeatInvariantError);
    expect(() =>
      evolve(state, { ...meta, type: "SeatsSold", holdId: uuid(9), paymentId: "p", buyerId: "x", seatIds: [] }),
    ).toThrow(SeatInvariantError);
  });

  it("evolve: non-mutating events leave the state untouched", () => {
    const state = loaded([["1", range(1, 3)]]);
    const before = toSnapshot(state);
    evolve(state, {
      ...meta,
      type: "HoldDuplicate",
      holdId: uuid(1),
      hold: { holdId: uuid(1), buyerId: "x", status: "held", seatIds: [] },
    });
    evolve(state, { ...meta, type: "ConfirmRejected", holdId: uuid(1), paymentId: "p", reason: "unknown_hold" });
    expect(toSnapshot(state)).toEqual(before);
  });
});

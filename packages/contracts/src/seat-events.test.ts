import { describe, expect, it } from "vitest";
import { SeatEvent, seatStatusChange } from "./seat-events.ts";

const base = { commandId: "c1", sessionId: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10", areaId: "A", at: 1_000 };
const holdId = "2b1c6a8e-4f3d-4c2a-9b1e-5d6f7a8b9c0d";

describe("seat events", () => {
  it("seat events: parse self-contained hold events", () => {
    const held = {
      ...base,
      type: "SeatsHeld",
      holdId,
      buyerId: "u1",
      seatIds: ["A-1-1"],
      expiresAt: 2_000,
      maxExpiresAt: 3_000,
      mode: "seats",
    };
    expect(SeatEvent.parse(held)).toEqual(held);
    expect(SeatEvent.safeParse({ ...held, expiresAt: undefined }).success).toBe(false);
    const rejected = {
      ...base,
      type: "HoldRejected",
      holdId,
      buyerId: "u1",
      reason: "unavailable",
      unavailable: ["A-1-1"],
    };
    expect(SeatEvent.parse(rejected)).toEqual(rejected);
    expect(SeatEvent.safeParse({ ...rejected, reason: "because" }).success).toBe(false);
  });

  it("seat events: report seat-map changes only for events that move seats", () => {
    const seatIds = ["A-1-1", "A-1-2"];
    expect(seatStatusChange({ ...base, type: "SeatsSold", holdId, paymentId: "p", buyerId: "u1", seatIds })).toEqual({
      status: "sold",
      seatIds,
    });
    expect(seatStatusChange({ ...base, type: "HoldExpired", holdId, buyerId: "u1", seatIds, expiresAt: 5 })).toEqual({
      status: "available",
      seatIds,
    });
    expect(
      seatStatusChange({ ...base, type: "ConfirmRejected", holdId, paymentId: "p", reason: "expired" }),
    ).toBeUndefined();
    const loaded = {
      ...base,
      type: "InventoryLoaded" as const,
      config: { holdTtlMs: 1, maxSeatsPerHold: 1, maxSeatsPerBuyer: 1, maxHoldExtensionMs: 0 },
      seatCount: 1,
    };
    expect(seatStatusChange({ ...loaded, seats: [] })).toBeUndefined();
    expect(seatStatusChange({ ...loaded, seats: [{ id: "A-1-1", row: "1", number: 1 }] })).toEqual({
      status: "available",
      seatIds: ["A-1-1"],
    });
  });
});

import { describe, expect, it } from "vitest";
import { SeatCommand } from "./seat-commands.ts";

const base = {
  commandId: "idem-1",
  sessionId: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10",
  areaId: "A",
  now: 1_700_000_000_000,
};
const holdId = "2b1c6a8e-4f3d-4c2a-9b1e-5d6f7a8b9c0d";
const config = { holdTtlMs: 600_000, maxSeatsPerHold: 6, maxSeatsPerBuyer: 8, maxHoldExtensionMs: 300_000 };

describe("seat commands", () => {
  it("seat commands: parse every command type", () => {
    const commands = [
      { ...base, type: "LoadInventory", seats: [{ id: "A-1-1", row: "1", number: 1 }], config },
      { ...base, type: "HoldSeats", holdId, buyerId: "u1", seatIds: ["A-1-1", "A-1-2"] },
      { ...base, type: "HoldBestAvailable", holdId, buyerId: "u1", quantity: 2 },
      { ...base, type: "ReleaseHold", holdId, buyerId: "u1" },
      { ...base, type: "ExtendHold", holdId, byMs: 60_000 },
      { ...base, type: "ExpireHold", holdId },
      { ...base, type: "ConfirmHold", holdId, paymentId: "pi_1" },
      { ...base, type: "RevokeHold", holdId, reason: "fence" },
      { ...base, type: "BlockSeats", seatIds: ["A-1-1"], reason: "camera position" },
      { ...base, type: "UnblockSeats", seatIds: ["A-1-1"] },
    ];
    for (const command of commands) expect(SeatCommand.parse(command)).toEqual(command);
  });

  it("seat commands: reject missing time, bad ids and unknown types", () => {
    const hold = { ...base, type: "HoldSeats", holdId, buyerId: "u1", seatIds: ["A-1-1"] };
    expect(SeatCommand.safeParse({ ...hold, now: undefined }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, now: 1.5 }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, sessionId: "s1" }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, holdId: "h1" }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, commandId: "" }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, areaId: "A-B" }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, type: "StealSeats" }).success).toBe(false);
  });

  it("seat commands: reject empty and repeated seat lists", () => {
    const hold = { ...base, type: "HoldSeats", holdId, buyerId: "u1" };
    expect(SeatCommand.safeParse({ ...hold, seatIds: [] }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...hold, seatIds: ["A-1-1", "A-1-1"] }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...base, type: "BlockSeats", seatIds: ["A-1-1", "A-1-1"] }).success).toBe(false);
    expect(
      SeatCommand.safeParse({ ...base, type: "HoldBestAvailable", holdId, buyerId: "u1", quantity: 0 }).success,
    ).toBe(false);
  });

  it("seat commands: a load's seat ids must match the area, row and number, once each", () => {
    const load = { ...base, type: "LoadInventory", config };
    const wrongArea = SeatCommand.safeParse({ ...load, seats: [{ id: "B-1-1", row: "1", number: 1 }] });
    expect(wrongArea.success).toBe(false);
    expect(wrongArea.error?.issues[0]?.path).toEqual(["seats", 0, "id"]);
    expect(SeatCommand.safeParse({ ...load, seats: [{ id: "A-1-2", row: "1", number: 1 }] }).success).toBe(false);
    const twice = [
      { id: "A-1-1", row: "1", number: 1 },
      { id: "A-1-1", row: "1", number: 1 },
    ];
    expect(SeatCommand.safeParse({ ...load, seats: twice }).success).toBe(false);
    expect(SeatCommand.safeParse({ ...load, seats: [], config: { ...config, holdTtlMs: 0 } }).success).toBe(false);
  });
});

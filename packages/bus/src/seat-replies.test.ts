import { SeatReply } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { asReply } from "./seat-commands.ts";

const reply = SeatReply.parse({
  commandId: "c-1",
  partition: 3,
  seq: 42,
  events: [
    {
      type: "SeatsHeld",
      commandId: "c-1",
      sessionId: "s-1",
      areaId: "A",
      at: 1_000,
      holdId: "h-1",
      buyerId: "b-1",
      seatIds: ["A-1-1", "A-1-2"],
      expiresAt: 601_000,
      maxExpiresAt: 1_801_000,
      mode: "best_available",
    },
  ],
});

describe("seat replies", () => {
  it("seat replies: a reply the actor wrote passes the shape check unchanged", () => {
    expect(asReply(JSON.parse(JSON.stringify(reply)))).toEqual(reply);
    expect(asReply({ ...reply, events: [] })).toEqual({ ...reply, events: [] });
  });

  it("seat replies: anything else is dropped (its sender falls back to the result store)", () => {
    for (const junk of [null, 42, "reply", [], {}, { commandId: 7, events: [] }, { commandId: "c-1" }, { commandId: "c-1", events: {} }]) {
      expect(asReply(junk)).toBeUndefined();
    }
    expect(asReply({ ...reply, events: [null] })).toBeUndefined();
    expect(asReply({ ...reply, events: [{ holdId: "h-1" }] })).toBeUndefined();
  });
});

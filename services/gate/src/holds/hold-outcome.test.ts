import type { SeatReply } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { holdAnswerOf } from "./hold-outcome.ts";

const ctx = {
  sessionId: "2d5b6f3e-9a51-4a43-9d3f-000000000001",
  areaId: "A",
  holdId: "2d5b6f3e-9a51-4a43-9d3f-000000000002",
  prices: new Map([["A", { amount: "45.00", currency: "EUR" }]]),
};
const base = { commandId: "c1", sessionId: ctx.sessionId, areaId: "A", at: 1 };
const reply = (events: SeatReply["events"]): SeatReply => ({ commandId: "c1", partition: 0, seq: 1, events });

describe("hold outcome", () => {
  it("hold outcome: SeatsHeld → 201 body with priced seats and an ISO expiry", () => {
    const answer = holdAnswerOf(
      reply([{ ...base, type: "SeatsHeld", holdId: ctx.holdId, buyerId: "b", seatIds: ["A-1-1"], expiresAt: 60_000, maxExpiresAt: 120_000, mode: "seats" }]),
      ctx,
    );
    expect(answer).toMatchObject({ ok: true, body: { seats: [{ id: "A-1-1", price: { amount: "45.00", currency: "EUR" } }], expiresAt: "1970-01-01T00:01:00.000Z" } });
  });

  it("hold outcome: each rejection reason maps to its coded problem", () => {
    const rejected = (reason: "unavailable" | "unknown_seats" | "limit_exceeded" | "not_on_sale" | "invalid") =>
      holdAnswerOf(reply([{ ...base, type: "HoldRejected", holdId: ctx.holdId, buyerId: "b", reason, unavailable: ["A-1-1"] }]), ctx);
    const codes = (["unavailable", "unknown_seats", "limit_exceeded", "not_on_sale", "invalid"] as const).map((reason) => {
      const answer = rejected(reason);
      return answer.ok ? undefined : [answer.problem.status, answer.problem.code];
    });
    expect(codes).toEqual([[409, "unavailable"], [422, "unknown_seats"], [409, "limit_exceeded"], [409, "not_on_sale"], [400, "invalid_hold"]]);
  });

  it("hold outcome: a duplicate answers with the hold's current state", () => {
    const view = { holdId: ctx.holdId, buyerId: "b", seatIds: ["A-1-1"] };
    const held = holdAnswerOf(reply([{ ...base, type: "HoldDuplicate", holdId: ctx.holdId, hold: { ...view, status: "held", expiresAt: 5, maxExpiresAt: 6 } }]), ctx);
    expect(held.ok).toBe(true);
    const released = holdAnswerOf(reply([{ ...base, type: "HoldDuplicate", holdId: ctx.holdId, hold: { ...view, seatIds: [], status: "released" } }]), ctx);
    expect(released).toMatchObject({ ok: false, problem: { status: 409, code: "hold_ended" } });
  });

  it("hold outcome: a reply without this hold's outcome is a bug, not a guess", () => {
    expect(() => holdAnswerOf(reply([]), ctx)).toThrow(/no hold outcome/);
  });
});

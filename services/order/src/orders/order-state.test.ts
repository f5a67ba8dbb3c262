import type { OrderStatus } from "@rush/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextStatus } from "./order-state.ts";

const STATUSES: OrderStatus[] = ["created", "payment_pending", "completed", "expired", "failed", "refund_pending", "refund_failed", "refunded"];
const apply = (facts: OrderStatus[]) => facts.reduce<OrderStatus>((s, t) => nextStatus(s, t) ?? s, "created");

describe("order state", () => {
  it("orders: the happy path and the exits", () => {
    expect(apply(["payment_pending", "completed"])).toBe("completed");
    expect(apply(["expired"])).toBe("expired");
    expect(apply(["payment_pending", "failed", "expired"])).toBe("failed");
    expect(apply(["payment_pending", "expired", "refunded"])).toBe("refunded");
  });

  it("orders: refunded never moves; completed moves only into a refund; failed moves only to refunded (money that still arrived, given back)", () => {
    for (const target of STATUSES) expect(nextStatus("refunded", target)).toBeUndefined();
    const refunds = new Set<OrderStatus>(["refund_pending", "refund_failed", "refunded"]);
    for (const target of STATUSES) expect(nextStatus("completed", target)).toBe(refunds.has(target) ? target : undefined);
    for (const target of STATUSES) expect(nextStatus("failed", target)).toBe(target === "refunded" ? "refunded" : undefined);
  });

  it("orders: a requested refund goes pending, failed while retried, then refunded; never back to pending", () => {
    expect(apply(["payment_pending", "completed", "refund_pending", "refund_failed", "refunded"])).toBe("refunded");
    expect(apply(["payment_pending", "completed", "refund_pending", "refund_failed", "refund_pending"])).toBe("refund_failed");
    // Compensation of a hold that ran out is not a refund of a sale: no refund_* on the way.
    for (const target of ["refund_pending", "refund_failed"] as const) {
      for (const from of ["created", "payment_pending", "expired", "failed"] as const) expect(nextStatus(from, target)).toBeUndefined();
    }
  });

  it("orders: the same facts in any arrival order end in the same status", () => {
    // Facts of one real history: payment started, the hold ended, the payment was declined.
    const histories: OrderStatus[][] = [
      ["payment_pending", "expired", "failed"],
      ["payment_pending", "expired", "refunded"],
      ["payment_pending", "failed", "refunded"],
      ["payment_pending", "completed"],
      ["payment_pending", "completed", "refund_pending", "refunded"],
      ["expired"],
    ];
    for (const facts of histories) {
      const anyOrder = fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length });
      fc.assert(fc.property(anyOrder, (shuffled) => apply(shuffled) === apply(facts)));
    }
  });
});

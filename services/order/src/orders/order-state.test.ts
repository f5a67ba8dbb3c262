import type { OrderStatus } from "@rush/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextStatus } from "./order-state.ts";

const STATUSES: OrderStatus[] = ["created", "payment_pending", "completed", "expired", "failed", "refunded"];
const apply = (facts: OrderStatus[]) => facts.reduce<OrderStatus>((s, t) => nextStatus(s, t) ?? s, "created");

describe("order state", () => {
  it("orders: the happy path and the exits", () => {
    expect(apply(["payment_pending", "completed"])).toBe("completed");
    expect(apply(["expired"])).toBe("expired");
    expect(apply(["payment_pending", "failed", "expired"])).toBe("failed");
    expect(apply(["payment_pending", "expired", "refunded"])).toBe("refunded");
  });

  it("orders: final statuses never move; failed moves only to refunded (money that still arrived, given back)", () => {
    for (const final of ["completed", "refunded"] as const) {
      for (const target of STATUSES) expect(nextStatus(final, target)).toBeUndefined();
    }
    for (const target of STATUSES) expect(nextStatus("failed", target)).toBe(target === "refunded" ? "refunded" : undefined);
  });

  it("orders: the same facts in any arrival order end in the same status", () => {
    // Facts of one real history: payment started, the hold ended, the payment was declined.
    const histories: OrderStatus[][] = [
      ["payment_pending", "expired", "failed"],
      ["payment_pending", "expired", "refunded"],
      ["payment_pending", "failed", "refunded"],
      ["payment_pending", "completed"],
      ["expired"],
    ];
    for (const facts of histories) {
      const anyOrder = fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length });
      fc.assert(fc.property(anyOrder, (shuffled) => apply(shuffled) === apply(facts)));
    }
  });
});

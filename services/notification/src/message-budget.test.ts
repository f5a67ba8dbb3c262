import { describe, expect, it } from "vitest";
import { createMessageBudget } from "./message-budget.ts";

describe("message budget", () => {
  it("sockets: a burst is allowed, then messages refill at the rate; refusals in a row are counted and reset", () => {
    const budget = createMessageBudget({ perSecond: 2, burst: 3 }, 0);
    expect([budget.take(0), budget.take(0), budget.take(0), budget.take(0), budget.take(0)]).toEqual([true, true, true, false, false]);
    expect(budget.refusedInARow).toBe(2);
    expect(budget.take(499)).toBe(false);
    expect(budget.take(500)).toBe(true);
    expect(budget.refusedInARow).toBe(0);
    // A long quiet spell refills only up to the burst.
    expect(Array.from({ length: 5 }, () => budget.take(60_000))).toEqual([true, true, true, false, false]);
  });

  it("sockets: a clock that steps back does not mint tokens", () => {
    const budget = createMessageBudget({ perSecond: 1, burst: 1 }, 1000);
    expect(budget.take(1000)).toBe(true);
    expect(budget.take(0)).toBe(false);
    expect(budget.take(1000)).toBe(false);
  });
});

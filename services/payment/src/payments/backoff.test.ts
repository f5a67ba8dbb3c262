import { describe, expect, it } from "vitest";
import { afterFailure, backingOff, retryDelay } from "./backoff.ts";

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe("reconciler backoff", () => {
  it("reconcile: delays double per failure from the base and stop at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(policy, n))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(retryDelay(policy, 10_000)).toBe(60_000);
  });

  it("reconcile: each failure pushes the next attempt further; only waiting ids are skipped", () => {
    const first = afterFailure(policy, undefined, 0);
    const second = afterFailure(policy, first, 1_000);
    expect(first).toEqual({ failures: 1, nextAt: 1_000 });
    expect(second).toEqual({ failures: 2, nextAt: 3_000 });
    const attempts = new Map([
      ["a", second],
      ["b", first],
    ]);
    expect(backingOff(attempts, 2_000)).toEqual(["a"]);
    expect(backingOff(attempts, 3_000)).toEqual([]);
  });
});

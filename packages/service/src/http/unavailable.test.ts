import { describe, expect, it } from "vitest";
import { isDependencyUnavailable } from "./unavailable.ts";

describe("unavailable", () => {
  it("unavailable: a Redis Cluster in failover or restart is a dependency away (503), not a bug (500)", () => {
    // The messages ioredis' Cluster client builds (ioredis/built/cluster/index.js).
    expect(isDependencyUnavailable(new Error("Too many Cluster redirections. Last error: Error: Connection is closed."))).toBe(true);
    expect(isDependencyUnavailable(new Error("Cluster isn't ready and enableOfflineQueue options is false"))).toBe(true);
    expect(isDependencyUnavailable(new Error("None of startup nodes is available"))).toBe(true);
    const allFailed = Object.assign(new Error("Failed to refresh slots cache."), { name: "ClusterAllFailedError" });
    expect(isDependencyUnavailable(allFailed)).toBe(true);
    expect(isDependencyUnavailable(new Error("Connection is closed."))).toBe(true);
  });

  it("unavailable: an ordinary error stays a bug", () => {
    expect(isDependencyUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isDependencyUnavailable(new TypeError("x is not a function"))).toBe(false);
  });
});

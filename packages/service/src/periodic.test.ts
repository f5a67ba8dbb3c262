import { afterEach, describe, expect, it, vi } from "vitest";
import { runEvery } from "./periodic.ts";

describe("periodic", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("periodic: passes never overlap, a failing pass does not stop the next, stop waits for the one running", async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    let inFlight = 0;
    let calls = 0;
    const errors: unknown[] = [];
    const periodic = runEvery(
      100,
      async () => {
        calls++;
        inFlight++;
        log.push(`start ${calls} (${inFlight} running)`);
        await new Promise((r) => setTimeout(r, 250));
        inFlight--;
        if (calls === 1) throw new Error("boom");
      },
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = periodic.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    const after = calls;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(after);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(log.every((line) => line.endsWith("(1 running)"))).toBe(true);
    expect(errors).toHaveLength(1);
    expect(inFlight).toBe(0);
  });
});

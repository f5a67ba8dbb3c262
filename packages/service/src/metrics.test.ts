import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_LOOP_SAMPLE_MS, createMetrics } from "./metrics.ts";

const wakeups = (pid: number) => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

describe("metrics", () => {
  it("metrics: default Node metrics include the event-loop delay", async () => {
    const text = await createMetrics("metrics-test").metrics();
    expect(text).toContain("nodejs_eventloop_lag_p99_seconds");
    expect(text).toContain('service="metrics-test"');
  });

  // Wake-ups are counted, not timed: an idle process blocks between timer ticks, and how often it
  // wakes does not depend on how busy the machine is.
  it.runIf(process.platform === "linux")("metrics: an idle service is not woken every 10 ms by the event-loop delay monitor", async () => {
    const script = `import { createMetrics } from ${JSON.stringify(join(import.meta.dirname, "metrics.ts"))}; createMetrics("idle"); console.log("ready"); setInterval(() => {}, 1e6);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = wakeups(child.pid!);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const perSecond = (wakeups(child.pid!) - before) / 2;
      // prom-client's default (10 ms) wakes it ~100 times a second.
      expect(perSecond).toBeLessThan((1000 / EVENT_LOOP_SAMPLE_MS) * 2);
    } finally {
      child.kill();
    }
  });
});

import { describe, expect, it } from "vitest";
import { maxGauge, minus, parseHistogram, pauseLines, quantileBound, stallOf, sumCounter } from "./latency-split.ts";

const text = (count: number, sum: number, b: [string, number][], labels = 'kind="hold",') =>
  [
    ...b.map(([le, n]) => `x_seconds_bucket{${labels}le="${le}"} ${n}`),
    `x_seconds_sum{${labels.replace(/,$/, "")}} ${sum}`,
    `x_seconds_count{${labels.replace(/,$/, "")}} ${count}`,
  ].join("\n");

describe("latency split", () => {
  it("sums a histogram over processes, keeps only the wanted labels, and takes the window's difference", () => {
    const before = parseHistogram([text(2, 0.01, [["0.005", 1], ["0.05", 2], ["+Inf", 2]])], "x_seconds", { kind: "hold" });
    const after = parseHistogram(
      [
        text(10, 0.2, [["0.005", 5], ["0.05", 9], ["+Inf", 10]]),
        text(100, 9, [["0.005", 100], ["0.05", 100], ["+Inf", 100]], 'kind="release",'),
        text(4, 0.1, [["0.005", 0], ["0.05", 3], ["+Inf", 4]]),
      ],
      "x_seconds",
      { kind: "hold" },
    );
    const window = minus(after, before);
    expect(window.count).toBe(12);
    expect(window.sum).toBeCloseTo(0.29);
    expect(window.buckets).toEqual([[0.005, 4], [0.05, 10], [Number.POSITIVE_INFINITY, 12]]);
    expect(quantileBound(window, 0.5)).toBe(0.05);
    expect(quantileBound(window, 0.99)).toBe(Number.POSITIVE_INFINITY);
    expect(quantileBound(minus(window, window), 0.99)).toBeNaN();
  });

  it("sums a counter over processes and label sets, and nothing of a longer name", () => {
    const texts = ["c_total 2\nc_total_other 9", 'c_total{partition="1"} 3\nc_total{partition="2"} 4'];
    expect(sumCounter(texts, "c_total")).toBe(9);
    expect(sumCounter([""], "c_total")).toBe(0);
  });

  it("takes a gauge's largest value over processes, NaN when no process has it", () => {
    expect(maxGauge(["g_seconds 0.01\ng_seconds_other 9", "g_seconds 0.2"], "g_seconds")).toBe(0.2);
    expect(maxGauge(["", "x 1"], "g_seconds")).toBeNaN();
  });

  it("prints GC time as a share of the window beside the longest stall", () => {
    const [line] = pauseLines([{ process: "gate", gcSeconds: 0.08, gcCount: 40, majorSeconds: 0.03, majorCount: 2, lagMaxSeconds: 0.0812 }], 8);
    expect(line).toContain("GC     80 ms in 40 pauses (1.0% of the window, its processes summed; mark-compact 30 ms in 2)");
    expect(line).toContain("longest event-loop stall 31.2 ms");
  });

  it("counts a stall from the lag gauge less its sampling timer's interval: an idle loop stalled for nothing", () => {
    // An idle service's gauge reads the timer's interval (50 ms), as the stack's did between sales.
    expect(stallOf(0.0503)).toBeCloseTo(0.0003, 6);
    expect(stallOf(0.123)).toBeCloseTo(0.073, 6);
    expect(stallOf(0.01)).toBe(0);
  });
});

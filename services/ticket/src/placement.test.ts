import { describe, expect, it } from "vitest";
import { packedShare } from "./placement.ts";

const owners = (entries: [number, string][]) => new Map(entries.map(([p, worker]) => [p, { worker }]));

describe("placement", () => {
  it("placement: workers starting together — the lowest id runs every partition, the other stands by", () => {
    expect(packedShare("w-a", ["w-a", "w-b"], owners([]), 0, 64)).toBe(64);
    expect(packedShare("w-b", ["w-a", "w-b"], owners([]), 0, 64)).toBe(0);
  });

  it("placement: the worker running the partitions keeps them when another (say, a restarted one) joins", () => {
    const held = owners(Array.from({ length: 64 }, (_, p) => [p, "w-b"] as [number, string]));
    expect(packedShare("w-a", ["w-a", "w-b"], held, 0, 64)).toBe(0);
    expect(packedShare("w-b", ["w-a", "w-b"], held, 64, 64)).toBe(64);
  });

  it("placement: a gone worker's partitions count for nobody: the standby takes them all", () => {
    const held = owners(Array.from({ length: 64 }, (_, p) => [p, "w-a"] as [number, string]));
    // w-a is not among the live workers any more (its NATS connection is gone).
    expect(packedShare("w-b", ["w-b"], held, 0, 64)).toBe(64);
  });

  it("placement: from a spread placement, the worker with more partitions (then the lowest id) gathers them", () => {
    const split = owners(Array.from({ length: 64 }, (_, p) => [p, p < 40 ? "w-b" : "w-a"] as [number, string]));
    expect(packedShare("w-b", ["w-a", "w-b"], split, 40, 64)).toBe(64);
    expect(packedShare("w-a", ["w-a", "w-b"], split, 24, 64)).toBe(0);
    const even = owners(Array.from({ length: 64 }, (_, p) => [p, p < 32 ? "w-b" : "w-a"] as [number, string]));
    expect(packedShare("w-a", ["w-a", "w-b"], even, 32, 64)).toBe(64);
    expect(packedShare("w-b", ["w-a", "w-b"], even, 32, 64)).toBe(0);
  });
});

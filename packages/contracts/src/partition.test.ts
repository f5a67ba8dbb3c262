import { describe, expect, it } from "vitest";
import { DEFAULT_PARTITIONS, fnv1a32, partitionOf } from "./partition.ts";

describe("partition", () => {
  it("partition: fnv1a32 matches the reference vectors", () => {
    // Published FNV-1a 32-bit test vectors.
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("partition: is stable and within range", () => {
    const p = partitionOf("7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10", "A");
    expect(p).toBe(partitionOf("7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10", "A"));
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(DEFAULT_PARTITIONS);
  });

  it("partition: spreads the areas of a large venue over most partitions", () => {
    const used = new Set<number>();
    for (let a = 0; a < 200; a++) used.add(partitionOf("c4a0a4a2-1111-4c3e-9f00-000000000001", `area${a}`));
    expect(used.size).toBeGreaterThan(DEFAULT_PARTITIONS * 0.8);
  });

  it("partition: rejects a non-positive partition count", () => {
    expect(() => partitionOf("s", "a", 0)).toThrow(RangeError);
  });
});

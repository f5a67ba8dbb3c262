import { describe, expect, it } from "vitest";
import { hopLines, hopsOf, meanHops } from "./hop-split.ts";

describe("hop split: a traced hold's wait, hop by hop", () => {
  it("reads a trace line: the flush is engine less its hops, outside is the client's latency less the gate's total", () => {
    const hops = hopsOf("1764900000000.0 30.0 201 2.0 3.0 20.0 26.0 1 4 2 6 5");
    expect(hops).toEqual({ client: 30, pre: 2, begin: 3, flush: 2, stream: 1, delivery: 4, queue: 2, actor: 6, reply: 5, outside: 4 });
  });

  it("leaves out refusals, lines without the actor's hops, and unreadable ones", () => {
    expect(hopsOf("1764900000000.0 30.0 409 2.0 3.0 20.0 26.0 1 4 2 6 5")).toBeUndefined();
    expect(hopsOf("1764900000000.0 30.0 201 2.0 3.0 20.0 26.0")).toBeUndefined();
    expect(hopsOf("1764900000000.0 30.0 201 2.0 - 20.0 26.0 1 4 2 6 5")).toBeUndefined();
    expect(hopLines(["1764900000000.0 30.0 201"])).toEqual([]);
  });

  it("prints every hold's means and the slowest 1 %'s", () => {
    const fast = Array.from({ length: 99 }, () => "0 10.0 201 1.0 1.0 6.0 8.0 1 1 1 1 1");
    const slow = "0 110.0 201 20.0 10.0 60.0 90.0 5 10 5 20 10";
    const lines = hopLines([...fast, slow]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("client");
    expect(lines[1]).toMatch(/^ {2}every hold/);
    expect(lines[1]).toContain("(100)");
    // The slowest 1 % of 100 holds is the one slow hold, as it is.
    expect(lines[2]).toMatch(/^ {2}slowest 1 %\s+110\.0\s+20\.0\s+10\.0\s+10\.0\s+5\.0\s+10\.0\s+5\.0\s+20\.0\s+10\.0\s+20\.0\s+\(1\)$/);
    expect(meanHops([hopsOf(fast[0]!)!, hopsOf(slow)!]).client).toBeCloseTo(60);
  });
});

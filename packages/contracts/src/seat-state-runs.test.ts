import { describe, expect, it } from "vitest";
import { forEachSeatInRuns, toSeatRuns } from "./seat-state-runs.ts";

const expand = (areaId: string, entries: readonly string[]) => {
  const ids: string[] = [];
  forEachSeatInRuns(areaId, entries, (id) => ids.push(id));
  return ids;
};

describe("seat state runs", () => {
  it("seat state runs: consecutive numbers of a row merge, a new row or a gap starts a new entry", () => {
    const seats = [
      { row: "1", number: 3 },
      { row: "1", number: 4 },
      { row: "1", number: 5 },
      { row: "1", number: 7 },
      { row: "2", number: 8 },
      { row: "2", number: 9 },
      { row: "AA", number: 1 },
    ];
    expect(toSeatRuns(seats)).toEqual(["1-3~5", "1-7", "2-8~9", "AA-1"]);
    expect(expand("S1", toSeatRuns(seats))).toEqual(["S1-1-3", "S1-1-4", "S1-1-5", "S1-1-7", "S1-2-8", "S1-2-9", "S1-AA-1"]);
    expect(toSeatRuns([])).toEqual([]);
  });

  it("seat state runs: any set of seats survives the round trip (seeded random picks from a 50 × 40 area)", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const picked: { row: string; number: number }[] = [];
      const density = random();
      for (let r = 1; r <= 50; r++) for (let n = 1; n <= 40; n++) if (random() < density) picked.push({ row: String(r), number: n });
      expect(expand("A", toSeatRuns(picked))).toEqual(picked.map((s) => `A-${s.row}-${s.number}`));
    }
  });

  it("seat state runs: malformed entries name no seat, and a forged huge run is bounded", () => {
    expect(expand("A", ["1-", "x", "1-2~", "-3", "1-2-3", "1~2"])).toEqual([]);
    let count = 0;
    forEachSeatInRuns("A", ["1-1~999999999"], () => count++);
    expect(count).toBe(100_001);
  });
});

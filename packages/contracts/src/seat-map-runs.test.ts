import { describe, expect, it } from "vitest";
import { type PlainSeatMap, decodeSeatMap, encodeSeatMap, forEachRun, toRuns } from "./seat-map-runs.ts";

const grid = (areas: number, rows: number, perRow: number): PlainSeatMap => ({
  areas: Array.from({ length: areas }, (_, a) => ({
    id: `S${a}`,
    name: `Section ${a}`,
    seatCount: rows * perRow,
    rows: Array.from({ length: rows }, (_, r) => ({
      label: String(r + 1),
      seats: Array.from({ length: perRow }, (_, n) => ({ id: `S${a}-${r + 1}-${n + 1}`, number: n + 1, x: Math.round((a * 50 + n * 1.1) * 100) / 100, y: Math.round(r * 1.2 * 100) / 100 })),
    })),
  })),
});

describe("seat map runs", () => {
  it("seat map runs: any integers survive runs (seeded random sequences, runs and jumps mixed)", () => {
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const values: number[] = [];
      for (let i = 0, length = next(60); i < length; i++) values.push(next(4) === 0 ? next(2e6) - 1e6 : (values.at(-1) ?? 0) + next(3) - 1);
      const out: number[] = [];
      expect(forEachRun(toRuns(values), (v) => out.push(v))).toBe(values.length);
      expect(out).toEqual(values);
    }
  });

  it("seat map runs: a venue round-trips, ids rebuilt, rotated and curved rows included", () => {
    const venue = grid(3, 4, 10);
    // A curved row: no two steps alike.
    venue.areas[0]!.rows[0]!.seats = venue.areas[0]!.rows[0]!.seats.map((s, i) => ({ ...s, y: Math.round(Math.sin(i) * 300) / 100 }));
    // A row without coordinates.
    venue.areas[1]!.rows[1]!.seats = venue.areas[1]!.rows[1]!.seats.map(({ id, number }) => ({ id, number }));
    expect(decodeSeatMap(JSON.parse(JSON.stringify(encodeSeatMap(venue))))).toEqual(venue);
  });

  it("seat map runs: 100,000 seats in a grid take a few KB, not megabytes", () => {
    const venue = grid(100, 25, 40);
    const plain = JSON.stringify(venue).length;
    const compact = JSON.stringify(encodeSeatMap(venue)).length;
    console.log(`seat map runs: 100,000 seats: ${(plain / 1024).toFixed(0)} KB as JSON, ${(compact / 1024).toFixed(0)} KB as runs`);
    expect(compact).toBeLessThan(plain / 20);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apply } from "./apply.ts";
import { seatMap } from "./queries.ts";
import { createPartitionState } from "./state.ts";
import { commandsFor, range, SESSION, seatDefs, uuid } from "./test-fixtures.ts";
import { checkInvariants } from "./test-invariants.ts";

const A = commandsFor("A");
const CONFIG = { holdTtlMs: 1_000, maxSeatsPerHold: 6, maxSeatsPerBuyer: 1_000, maxHoldExtensionMs: 0 };

/** Rows of 1–12 seats, some with a gap in their numbering, and which seats are taken. */
const venue = fc
  .array(fc.record({ length: fc.integer({ min: 1, max: 12 }), gap: fc.option(fc.integer({ min: 2, max: 11 })) }), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((rows) => {
    const layout = rows.map(({ length, gap }, r) => [`${r + 1}`, range(1, length).filter((n) => n !== gap)] as const);
    const count = layout.reduce((sum, [, numbers]) => sum + numbers.length, 0);
    return fc.record({
      layout: fc.constant(layout),
      taken: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
    });
  });

interface Window {
  row: number;
  seats: { seatId: string; number: number }[];
  strands: number;
  distance: number;
}

/** Brute force: every block of `quantity` side-by-side available seats, with its strands and centre distance. */
function windows(map: ReturnType<typeof seatMap>, rowLabels: string[], quantity: number): Window[] {
  const found: Window[] = [];
  rowLabels.forEach((label, r) => {
    const row = map.filter((s) => s.row === label);
    const centre = (row[0]!.number + row[row.length - 1]!.number) / 2;
    const free = (number: number) => row.some((s) => s.number === number && s.status === "available");
    for (let i = 0; i + quantity <= row.length; i++) {
      const block = row.slice(i, i + quantity);
      const sideBySide = block.every((s, k) => s.status === "available" && s.number === block[0]!.number + k);
      if (!sideBySide) continue;
      const lo = block[0]!.number;
      const hi = block[quantity - 1]!.number;
      const strands = (free(lo - 1) && !free(lo - 2) ? 1 : 0) + (free(hi + 1) && !free(hi + 2) ? 1 : 0);
      found.push({ row: r, seats: block, strands, distance: Math.abs((lo + hi) / 2 - centre) });
    }
  });
  return found;
}

describe("best available properties", () => {
  it("best available: keeps a group together in the best row whenever a row has room", () => {
    fc.assert(
      fc.property(venue, fc.integer({ min: 1, max: 6 }), ({ layout, taken }, quantity) => {
        const state = createPartitionState();
        apply(state, A.load(seatDefs("A", layout), CONFIG));
        const toBlock = seatDefs("A", layout)
          .filter((_, i) => taken[i])
          .map((s) => s.id);
        if (toBlock.length > 0) apply(state, A.block(toBlock));
        const before = seatMap(state, SESSION, "A");
        const available = before.filter((s) => s.status === "available").length;
        const candidates = windows(
          before,
          layout.map(([label]) => label),
          quantity,
        );

        const [event] = apply(state, A.best(uuid(1), "buyer", quantity)).events;
        checkInvariants(state);
        if (available < quantity) {
          expect(event).toMatchObject({ type: "HoldRejected", reason: "unavailable" });
          return;
        }
        if (event?.type !== "SeatsHeld") throw new Error(`expected SeatsHeld, got ${event?.type}`);
        expect(event.seatIds).toHaveLength(quantity);
        expect(new Set(event.seatIds).size).toBe(quantity);
        for (const id of event.seatIds) expect(before.find((s) => s.seatId === id)?.status).toBe("available");
        if (candidates.length === 0) return; // split: covered by the unit tests
        const bestRow = Math.min(...candidates.map((w) => w.row));
        const inRow = candidates.filter((w) => w.row === bestRow);
        const chosen = inRow.find((w) => w.seats.map((s) => s.seatId).join() === event.seatIds.join());
        expect(chosen, "a side-by-side block in the first row that has one").toBeDefined();
        const fewestStrands = Math.min(...inRow.map((w) => w.strands));
        expect(chosen!.strands).toBe(fewestStrands);
        const nearest = Math.min(...inRow.filter((w) => w.strands === fewestStrands).map((w) => w.distance));
        expect(chosen!.distance).toBe(nearest);
      }),
      { numRuns: 400 },
    );
  });

  it("best available: a split holds exactly the largest run in the area, whole", () => {
    fc.assert(
      fc.property(venue, fc.integer({ min: 2, max: 6 }), ({ layout, taken }, quantity) => {
        const state = createPartitionState();
        apply(state, A.load(seatDefs("A", layout), CONFIG));
        const toBlock = seatDefs("A", layout)
          .filter((_, i) => taken[i])
          .map((s) => s.id);
        if (toBlock.length > 0) apply(state, A.block(toBlock));
        const before = seatMap(state, SESSION, "A");
        const labels = layout.map(([label]) => label);
        const available = before.filter((s) => s.status === "available").length;
        if (available < quantity || windows(before, labels, quantity).length > 0) return;
        let longest = 1;
        while (windows(before, labels, longest + 1).length > 0) longest++;
        const [event] = apply(state, A.best(uuid(1), "buyer", quantity)).events;
        if (event?.type !== "SeatsHeld") throw new Error(`expected SeatsHeld, got ${event?.type}`);
        const held = new Set(event.seatIds);
        const largest = windows(before, labels, longest).filter((w) => w.seats.every((s) => held.has(s.seatId)));
        expect(largest.length, `a run of ${longest} kept whole`).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { buildLayout } from "./layout.ts";
import { STATUS, applyDelta, applySnapshot, createSeatStatuses, markTaken, resetFeed, setMine, statusName } from "./seat-state.ts";
import { gridMap } from "./test-maps.ts";

const SESSION = "00000000-0000-4000-8000-000000000001";
const layout = buildLayout(gridMap(1, 2, 3));
/** A sparse snapshot of area A1 naming the given seats (the rest available). */
const snapshot = (version: number, statuses: Record<string, "held" | "sold" | "mine">) => {
  const area: Record<string, string[]> = {};
  for (const [id, status] of Object.entries(statuses)) area[status] = [...(area[status] ?? []), id.split("-").slice(1).join("-")];
  return { sessionId: SESSION, version, format: "sparse-1" as const, areas: [{ id: "A1", ...area }] };
};
const delta = (seq: number, version: number, changes: [string, "available" | "held" | "sold"][]) => ({
  sessionId: SESSION,
  seq,
  version,
  changes: changes.map(([id, status]) => ({ id, status })),
});

describe("seat statuses", () => {
  it("seat state: a sparse snapshot sets every seat of its areas (unnamed ones available, runs expanded); unlisted areas stay 'not on sale'", () => {
    const two = buildLayout(gridMap(2, 2, 3));
    const s = createSeatStatuses(two);
    const changed = applySnapshot(s, two, { sessionId: SESSION, version: 5, format: "sparse-1", areas: [{ id: "A1", held: ["1-2~3"], sold: ["2-1"] }] });
    expect(changed).toEqual([0, 1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((i) => statusName(s, i))).toEqual(["available", "held", "held", "sold", "available", "available"]);
    expect(statusName(s, 6)).toBe("none");
    expect(s.version).toBe(5);
    // Seats a newer snapshot no longer names are available again.
    expect(applySnapshot(s, two, { sessionId: SESSION, version: 6, format: "sparse-1", areas: [{ id: "A1", sold: ["2-1"] }] })).toEqual([1, 2]);
  });

  it("seat state: deltas apply in seq order; a skipped seq is applied but flagged as a gap; repeats are ignored", () => {
    const s = createSeatStatuses(layout);
    applySnapshot(s, layout, snapshot(10, {}));
    resetFeed(s, 4);
    expect(applyDelta(s, layout, delta(5, 11, [["A1-1-1", "held"]]))).toEqual({ kind: "applied", changed: [0], gap: false });
    expect(applyDelta(s, layout, delta(5, 11, [["A1-1-1", "held"]]))).toEqual({ kind: "duplicate" });
    expect(applyDelta(s, layout, delta(7, 13, [["A1-1-2", "sold"]]))).toEqual({ kind: "applied", changed: [1], gap: true });
    expect(s.lastSeq).toBe(7);
    expect(s.version).toBe(13);
  });

  it("seat state: a snapshot older than a delta already applied does not roll that seat back", () => {
    const s = createSeatStatuses(layout);
    applySnapshot(s, layout, snapshot(10, {}));
    resetFeed(s, 0);
    applyDelta(s, layout, delta(1, 12, [["A1-1-1", "held"]]));
    // A refetch answered from before that change arrives late.
    applySnapshot(s, layout, snapshot(11, { "A1-1-2": "sold" }));
    expect(statusName(s, 0)).toBe("held");
    expect(statusName(s, 1)).toBe("sold");
    // A newer snapshot wins.
    applySnapshot(s, layout, snapshot(14, {}));
    expect(statusName(s, 0)).toBe("available");
  });

  it("seat state: the buyer's own seats read 'mine' while the feed says held, and stop once released", () => {
    const s = createSeatStatuses(layout);
    applySnapshot(s, layout, snapshot(1, {}));
    resetFeed(s, 0);
    applyDelta(s, layout, delta(1, 2, [["A1-1-1", "held"]]));
    expect(setMine(s, [0], true)).toEqual([0]);
    expect(statusName(s, 0)).toBe("mine");
    applyDelta(s, layout, delta(2, 3, [["A1-1-1", "held"]]));
    expect(statusName(s, 0)).toBe("mine");
    applyDelta(s, layout, delta(3, 4, [["A1-1-1", "available"]]));
    expect(statusName(s, 0)).toBe("available");
    expect(s.mine.has(0)).toBe(false);
    // A snapshot of a signed-in buyer says "mine" itself.
    applySnapshot(s, layout, snapshot(5, { "A1-2-3": "mine" }));
    expect(s.codes[5]).toBe(STATUS.mine);
  });

  it("seat state: a 409's seats show as held at once, without waiting for the feed", () => {
    const s = createSeatStatuses(layout);
    applySnapshot(s, layout, snapshot(1, { "A1-1-3": "sold" }));
    expect(markTaken(s, [1, 2])).toEqual([1]);
    expect(statusName(s, 1)).toBe("held");
    expect(statusName(s, 2)).toBe("sold");
  });
});

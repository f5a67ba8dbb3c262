import { describe, expect, it } from "vitest";
import { buildLayout } from "./layout.ts";
import { moveFocus } from "./navigation.ts";
import { emptySelection, pruneSelection, toggleSeat } from "./selection.ts";
import { applySnapshot, createSeatStatuses } from "./seat-state.ts";
import type { SeatMap } from "@rush/contracts";

// Area A: row 1 has seats 1–4, row 2 (a shorter row) seats 2–3. Area B: one row of 2.
const map: SeatMap = {
  areas: [
    {
      id: "A",
      name: "Area A",
      seatCount: 6,
      rows: [
        { label: "1", seats: [1, 2, 3, 4].map((n) => ({ id: `A-1-${n}`, number: n })) },
        { label: "2", seats: [2, 3].map((n) => ({ id: `A-2-${n}`, number: n })) },
      ],
    },
    { id: "B", name: "Area B", seatCount: 2, rows: [{ label: "1", seats: [1, 2].map((n) => ({ id: `B-1-${n}`, number: n })) }] },
  ],
};
const layout = buildLayout(map, [{ areaIds: ["A", "B"] }]);
const at = (id: string) => layout.index.get(id)!;
const idOf = (i: number) => layout.ids[i];

describe("keyboard navigation", () => {
  it("navigation: left/right walk a row and stop at its ends", () => {
    expect(idOf(moveFocus(layout, at("A-1-1"), "right"))).toBe("A-1-2");
    expect(idOf(moveFocus(layout, at("A-1-1"), "left"))).toBe("A-1-1");
    expect(idOf(moveFocus(layout, at("A-1-4"), "right"))).toBe("A-1-4");
    expect(idOf(moveFocus(layout, at("A-1-2"), "rowEnd"))).toBe("A-1-4");
    expect(idOf(moveFocus(layout, at("A-1-3"), "rowStart"))).toBe("A-1-1");
  });

  it("navigation: up/down change rows to the nearest seat number and stay inside the area", () => {
    expect(idOf(moveFocus(layout, at("A-1-4"), "down"))).toBe("A-2-3");
    expect(idOf(moveFocus(layout, at("A-1-1"), "down"))).toBe("A-2-2");
    expect(idOf(moveFocus(layout, at("A-2-3"), "up"))).toBe("A-1-3");
    expect(idOf(moveFocus(layout, at("A-2-3"), "down"))).toBe("A-2-3");
    expect(idOf(moveFocus(layout, at("A-1-1"), "up"))).toBe("A-1-1");
  });

  it("navigation: page up/down jump between areas", () => {
    expect(idOf(moveFocus(layout, at("A-2-2"), "nextArea"))).toBe("B-1-1");
    expect(idOf(moveFocus(layout, at("B-1-2"), "prevArea"))).toBe("A-1-1");
    expect(idOf(moveFocus(layout, at("B-1-2"), "nextArea"))).toBe("B-1-2");
  });
});

describe("picking seats", () => {
  const statuses = createSeatStatuses(layout);
  applySnapshot(statuses, layout, {
    sessionId: "00000000-0000-4000-8000-000000000001",
    version: 1,
    format: "sparse-1",
    areas: [
      { id: "A", held: ["1-4"] },
      { id: "B", sold: ["1-1"] },
    ],
  });
  const pick = (sel: typeof emptySelection, id: string, limit = 2) => toggleSeat(sel, layout, statuses, at(id), limit, (s) => layout.ids[s]!);

  it("selection: picks and unpicks available seats up to the limit", () => {
    const one = pick(emptySelection, "A-1-1");
    if (!one.ok) throw new Error(one.message);
    const two = pick(one.selection, "A-1-2");
    if (!two.ok) throw new Error(two.message);
    const three = pick(two.selection, "A-1-3");
    expect(three).toMatchObject({ ok: false, reason: "limit" });
    const back = pick(two.selection, "A-1-1");
    expect(back.ok && back.selection.seats.map(idOf)).toEqual(["A-1-2"]);
  });

  it("selection: refuses held and sold seats with a sentence that says why, and a second area", () => {
    expect(pick(emptySelection, "A-1-4")).toMatchObject({ ok: false, reason: "not_available", message: "A-1-4 is held by another buyer right now. Pick an available seat." });
    expect(pick(emptySelection, "B-1-1")).toMatchObject({ ok: false, message: "B-1-1 is already sold. Pick an available seat." });
    const one = pick(emptySelection, "A-1-1");
    expect(one.ok && pick(one.selection, "B-1-2")).toMatchObject({ ok: false, reason: "other_area" });
  });

  it("selection: pruning drops picks that are no longer available", () => {
    const { selection, lost } = pruneSelection({ seats: [at("A-1-1"), at("A-1-4")] }, statuses);
    expect(selection.seats.map(idOf)).toEqual(["A-1-1"]);
    expect(lost.map(idOf)).toEqual(["A-1-4"]);
  });
});

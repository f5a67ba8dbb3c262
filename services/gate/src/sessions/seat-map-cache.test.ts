import { SeatMapSparseView, SeatMapView } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { layoutOf, snapshotOf } from "./seat-map-cache.ts";
import { seatMapJson, seatMapSparse } from "./seat-map-json.ts";

const SESSION = "0b5f4c8e-1d2a-4a57-9a7e-3f6d2c1b0a99";
const hash = { "B-1-1": "a", "A-10-1": "s", "A-2-10": "b", "A-2-9": "h:u1", bogus: "a" };
/** As Redis answers HGETALL: field, value, field, value… */
const flat = (fields: Record<string, string>) => Object.entries(fields).flat();

describe("seat map", () => {
  it("seat map: orders areas, rows and numbers naturally (2 before 10) and leaves out what is not a seat", () => {
    const layout = layoutOf(Object.keys(hash));
    expect(layout.ids).toEqual(["A-2-9", "A-2-10", "A-10-1", "B-1-1"]);
    expect(layout.areas).toEqual([
      { id: "A", from: 0, to: 3 },
      { id: "B", from: 3, to: 4 },
    ]);
  });

  it("seat map: a new version reuses the session's layout, and a seat the layout lacks makes a new one", () => {
    const first = snapshotOf(1, flat(hash));
    expect(first.codes).toEqual(["h:u1", "b", "s", "a"]);
    expect(first.holders).toEqual(new Set(["u1"]));
    const second = snapshotOf(2, flat({ ...hash, "A-2-9": "s", "B-1-1": "h:u2" }), first.layout);
    expect(second.layout).toBe(first.layout);
    expect(second.codes).toEqual(["s", "b", "s", "h:u2"]);
    expect(second.holders).toEqual(new Set(["u2"]));
    const grown = snapshotOf(3, flat({ ...hash, "B-1-2": "a" }), first.layout);
    expect(grown.layout).not.toBe(first.layout);
    expect(grown.layout.ids).toEqual(["A-2-9", "A-2-10", "A-10-1", "B-1-1", "B-1-2"]);
    const { "A-10-1": _gone, ...shrunk } = hash;
    expect(snapshotOf(4, flat(shrunk), first.layout).layout.ids).toEqual(["A-2-9", "A-2-10", "B-1-1"]);
  });

  it("seat map: the JSON is a SeatMapView; blocked shows as sold, the viewer's own holds as mine", () => {
    const snapshot = snapshotOf(7, flat(hash));
    const expected = (mine: string) => ({
      sessionId: SESSION,
      version: 7,
      areas: [
        { id: "A", seats: [{ id: "A-2-9", status: mine }, { id: "A-2-10", status: "sold" }, { id: "A-10-1", status: "sold" }] },
        { id: "B", seats: [{ id: "B-1-1", status: "available" }] },
      ],
    });
    expect(SeatMapView.parse(JSON.parse(seatMapJson(SESSION, snapshot)))).toEqual(expected("held"));
    expect(SeatMapView.parse(JSON.parse(seatMapJson(SESSION, snapshot, "u1")))).toEqual(expected("mine"));
    expect(SeatMapView.parse(JSON.parse(seatMapJson(SESSION, snapshot, "u2")))).toEqual(expected("held"));
    expect(SeatMapView.parse(JSON.parse(seatMapJson(SESSION, snapshotOf(0, []))))).toEqual({ sessionId: SESSION, version: 0, areas: [] });
  });

  it("seat map: the sparse form names only the seats that are not available, as runs per row, blocked as sold", () => {
    const snapshot = snapshotOf(3, flat({ ...hash, "A-2-8": "h:u1", "A-2-11": "a" }));
    expect(SeatMapSparseView.parse(seatMapSparse(SESSION, snapshot, "u1"))).toEqual({
      sessionId: SESSION,
      version: 3,
      format: "sparse-1",
      areas: [{ id: "A", mine: ["2-8~9"], sold: ["2-10", "10-1"] }, { id: "B" }],
    });
    expect(seatMapSparse(SESSION, snapshot).areas[0]).toEqual({ id: "A", held: ["2-8~9"], sold: ["2-10", "10-1"] });
  });
});

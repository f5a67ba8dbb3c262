import type { SeatMapSparseView } from "@rush/contracts";
import { SPARSE_STATUSES, type SparseStatus, toSeatRuns } from "@rush/contracts/seat-state-runs";
import type { SeatLayout, SeatMapSnapshot } from "./seat-map-cache.ts";

/** `{"id":"<seat>","status":` per seat and `{"id":"<area>","seats":[` per area, escaped once per layout. */
const fragments = new WeakMap<SeatLayout, { seats: string[]; areas: string[] }>();

function fragmentsOf(layout: SeatLayout) {
  let made = fragments.get(layout);
  if (!made) {
    made = {
      seats: layout.ids.map((id) => `{"id":${JSON.stringify(id)},"status":`),
      areas: layout.areas.map((area) => `{"id":${JSON.stringify(area.id)},"seats":[`),
    };
    fragments.set(layout, made);
  }
  return made;
}

// Blocked seats are never offered, so buyers see them as sold.
const AVAILABLE = '"available"}';
const SOLD = '"sold"}';
const HELD = '"held"}';
const MINE = '"mine"}';

/**
 * The `SeatMapView` JSON of a snapshot as `viewer` sees it (their own holds `mine`), written
 * straight from the codes: building 20,000 objects, validating them with zod and stringifying
 * them cost a core-second every few reads in a flash sale. The output matches `SeatMapView`
 * by construction (the tests parse it with the schema).
 */
export function seatMapJson(sessionId: string, snapshot: SeatMapSnapshot, viewer?: string): string {
  const { seats, areas } = fragmentsOf(snapshot.layout);
  const mine = viewer !== undefined && snapshot.holders.has(viewer) ? `h:${viewer}` : undefined;
  const codes = snapshot.codes;
  let out = `{"sessionId":${JSON.stringify(sessionId)},"version":${snapshot.version},"areas":[`;
  snapshot.layout.areas.forEach((area, a) => {
    out += a === 0 ? areas[a] : `,${areas[a]}`;
    for (let i = area.from; i < area.to; i++) {
      const code = codes[i]!;
      const status = code === "a" ? AVAILABLE : code === "s" || code === "b" ? SOLD : code === mine ? MINE : HELD;
      out += i === area.from ? seats[i] + status : `,${seats[i]}${status}`;
    }
    out += "]}";
  });
  return `${out}]}`;
}

/**
 * The sparse form (`?format=sparse`, what the browser app reads): per area, only the seats that
 * are not available, as runs of neighbours in a row. Blocked seats count as sold, as above.
 */
export function seatMapSparse(sessionId: string, snapshot: SeatMapSnapshot, viewer?: string): SeatMapSparseView {
  const mine = viewer !== undefined && snapshot.holders.has(viewer) ? `h:${viewer}` : undefined;
  const { codes, layout } = snapshot;
  return {
    sessionId,
    version: snapshot.version,
    format: "sparse-1",
    areas: layout.areas.map((area) => {
      const named: Record<SparseStatus, { row: string; number: number }[]> = { held: [], sold: [], mine: [] };
      for (let i = area.from; i < area.to; i++) {
        const code = codes[i]!;
        if (code === "a") continue;
        named[code === "s" || code === "b" ? "sold" : code === mine ? "mine" : "held"].push(layout.seats[i]!);
      }
      const runs: Partial<Record<SparseStatus, string[]>> = {};
      for (const status of SPARSE_STATUSES) if (named[status].length > 0) runs[status] = toSeatRuns(named[status]);
      return { id: area.id, ...runs };
    }),
  };
}

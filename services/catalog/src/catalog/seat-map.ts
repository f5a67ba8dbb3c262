import type { AreaInput, AreaSummary, SeatMap, SeatMapArea, SeatMapInput } from "@rush/contracts";

/** A validated seat map with every seat listed, plus what lists and availability need. */
export interface ExpandedSeatMap {
  seatMap: SeatMap;
  areas: AreaSummary[];
  capacity: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** `rowCount × seatsPerRow`: rows 1…rowCount front to back; with a layout, each seat placed. */
function expandGenerated(area: AreaInput & { rowCount: number; seatsPerRow: number }): SeatMapArea["rows"] {
  const layout = area.layout;
  const angle = ((layout?.rotation ?? 0) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const rows: SeatMapArea["rows"] = [];
  for (let r = 1; r <= area.rowCount; r++) {
    const seats: SeatMapArea["rows"][number]["seats"] = [];
    for (let n = 1; n <= area.seatsPerRow; n++) {
      const id = `${area.id}-${r}-${n}`;
      if (!layout) {
        seats.push({ id, number: n });
        continue;
      }
      const lx = (n - 1) * layout.seatSpacing;
      const ly = (r - 1) * layout.rowSpacing;
      seats.push({ id, number: n, x: round(layout.x + lx * cos - ly * sin), y: round(layout.y + lx * sin + ly * cos) });
    }
    rows.push({ label: String(r), seats });
  }
  return rows;
}

function expandArea(area: AreaInput): SeatMapArea {
  const rows =
    area.rows?.map((row) => ({
      label: row.label,
      seats: row.seats.map((seat) => ({
        id: `${area.id}-${row.label}-${seat.number}`,
        number: seat.number,
        ...(seat.x !== undefined ? { x: seat.x } : {}),
        ...(seat.y !== undefined ? { y: seat.y } : {}),
      })),
    })) ?? expandGenerated(area as AreaInput & { rowCount: number; seatsPerRow: number });
  const seatCount = rows.reduce((n, row) => n + row.seats.length, 0);
  return { id: area.id, name: area.name, seatCount, rows };
}

/**
 * Expands a seat map that `SeatMapInput` accepted (unique ids, at most 100,000 seats): seat
 * ids are `<areaId>-<rowLabel>-<number>`, unique because area ids, row labels per area and
 * numbers per row are, and none of them contains `-`.
 */
export function expandSeatMap(input: SeatMapInput): ExpandedSeatMap {
  const areas = input.areas.map(expandArea);
  return {
    seatMap: { areas },
    areas: areas.map(({ id, name, seatCount }) => ({ id, name, seatCount })),
    capacity: areas.reduce((n, area) => n + area.seatCount, 0),
  };
}

import type { SeatMap } from "@rush/contracts";

/** A seat map of `areas` areas of `rows × perRow` seats, without coordinates (auto layout). */
export function gridMap(areas: number, rows: number, perRow: number, placed = false): SeatMap {
  return {
    areas: Array.from({ length: areas }, (_, a) => {
      const id = `A${a + 1}`;
      return {
        id,
        name: `Area ${a + 1}`,
        seatCount: rows * perRow,
        rows: Array.from({ length: rows }, (_, r) => ({
          label: String(r + 1),
          seats: Array.from({ length: perRow }, (_, n) => ({
            id: `${id}-${r + 1}-${n + 1}`,
            number: n + 1,
            ...(placed ? { x: a * (perRow + 5) + n * 2, y: r * 2 } : {}),
          })),
        })),
      };
    }),
  };
}

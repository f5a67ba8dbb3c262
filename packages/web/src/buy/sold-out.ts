import type { SeatLayout } from "../seatmap/layout.ts";
import { STATUS, type SeatStatuses } from "../seatmap/seat-state.ts";

/** Areas on sale with no free seat left: where a buyer may join the waiting list. */
export function soldOutAreas(layout: SeatLayout, statuses: SeatStatuses): { id: string; name: string }[] {
  return layout.areas
    .filter((area) => area.category >= 0)
    .filter((area) => {
      for (let i = area.start; i < area.end; i++) if (statuses.codes[i] === STATUS.available) return false;
      return true;
    })
    .map((area) => ({ id: area.id, name: area.name }));
}

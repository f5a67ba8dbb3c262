import type { CancelArea, HoldRefunded, RefundHold, SeatEvent } from "@rush/contracts";
import { eventBase } from "./event-base.ts";
import { type AreaState, findArea, type PartitionState, type SoldHold, venueOrder } from "./state.ts";

/**
 * Money going back: a refunded order's seats return to sale, and a cancelled session's area
 * closes for good. Both are no-ops when repeated, so a saga may send them as often as it likes.
 */

function refunded(command: RefundHold | CancelArea, hold: SoldHold, reason: HoldRefunded["reason"]): HoldRefunded {
  const { holdId, buyerId, paymentId, seatIds } = hold;
  return { ...eventBase(command), type: "HoldRefunded", holdId, buyerId, paymentId, seatIds: [...seatIds], reason };
}

/** RefundHold: a sold hold gives its seats back; anything else (live, ended, unknown) changes nothing. */
export function decideRefund(state: PartitionState, command: RefundHold): SeatEvent[] {
  const sold = findArea(state, command.sessionId, command.areaId)?.sold.get(command.holdId);
  return sold === undefined ? [] : [refunded(command, sold, "refund")];
}

/** Every seat of the area not yet blocked, in venue order: what a cancellation blocks once holds and sales are undone. */
function unblockedSeats(area: AreaState): string[] {
  return [...area.seats.values()]
    .filter((slot) => slot.status !== "blocked")
    .sort(venueOrder)
    .map((slot) => slot.id);
}

/**
 * CancelArea: live holds are released, sold holds give their seats back, the waiting list is
 * emptied, then every seat is blocked, in that order (each event applies to the state the previous one left). An area
 * already cancelled (nothing live, nothing sold, everything blocked) yields nothing.
 */
export function decideCancelArea(state: PartitionState, command: CancelArea): SeatEvent[] {
  const area = findArea(state, command.sessionId, command.areaId);
  if (area === undefined) return [];
  const events: SeatEvent[] = [];
  for (const hold of area.holds.values()) {
    events.push({ ...eventBase(command), type: "HoldReleased", holdId: hold.holdId, buyerId: hold.buyerId, seatIds: [...hold.seatIds] });
  }
  for (const hold of area.sold.values()) events.push(refunded(command, hold, "session_cancelled"));
  for (const entry of area.waitlist.values()) {
    events.push({ ...eventBase(command), type: "WaitlistLeft", entryId: entry.entryId, buyerId: entry.buyerId, reason: "session_cancelled" });
  }
  const toBlock = unblockedSeats(area);
  if (toBlock.length > 0) events.push({ ...eventBase(command), type: "SeatsBlocked", seatIds: toBlock, reason: "session_cancelled" });
  return events;
}

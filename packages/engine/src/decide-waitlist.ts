import type { JoinWaitlist, LeaveWaitlist, SeatCommand, SeatEvent, WaitlistJoinRejected } from "@rush/contracts";
import { chooseBestAvailable } from "./best-available.ts";
import { eventBase } from "./event-base.ts";
import { lookupHold } from "./hold-view.ts";
import { type AreaState, findArea, type PartitionState, type WaitEntry, venueOrder } from "./state.ts";

/**
 * The waiting list of a sold-out area. It lives in the area's actor so that seats coming back
 * (an expiry, a release, a refund, an unblock) are offered to the list in the same step that
 * frees them: no command between, so no racer on the seat map can take them first.
 */

/** 1 for the front of the list. O(list): lists are short next to a flash sale's holds. */
function positionOf(area: AreaState, buyerId: string): number {
  let position = 1;
  for (const id of area.waitlist.keys()) {
    if (id === buyerId) return position;
    position++;
  }
  return position;
}

const overBuyerLimit = (area: AreaState, buyerId: string, quantity: number): boolean =>
  (area.buyerSeats.get(buyerId) ?? 0) + quantity > area.config.maxSeatsPerBuyer;

/** JoinWaitlist: only while `quantity` seats cannot be bought outright; a second join keeps the first place. */
export function decideJoinWaitlist(state: PartitionState, command: JoinWaitlist): SeatEvent[] {
  const area = findArea(state, command.sessionId, command.areaId);
  const reject = (reason: WaitlistJoinRejected["reason"]): SeatEvent[] => [
    {
      ...eventBase(command),
      type: "WaitlistJoinRejected",
      entryId: command.entryId,
      buyerId: command.buyerId,
      reason,
      available: area?.available ?? 0,
    },
  ];
  if (area === undefined) return reject("not_on_sale");
  const known = area.waitlist.get(command.buyerId);
  if (known !== undefined) {
    const { entryId, buyerId, quantity, seq } = known;
    return [{ ...eventBase(command), type: "WaitlistAlreadyJoined", entryId, buyerId, quantity, seq, position: positionOf(area, buyerId) }];
  }
  if (command.quantity > area.config.maxSeatsPerHold || overBuyerLimit(area, command.buyerId, command.quantity)) {
    return reject("limit_exceeded");
  }
  if (lookupHold(area, command.entryId) !== undefined) return reject("invalid");
  if (area.available >= command.quantity) return reject("seats_available");
  const { entryId, buyerId, quantity, offerTtlMs } = command;
  return [
    {
      ...eventBase(command),
      type: "WaitlistJoined",
      entryId,
      buyerId,
      quantity,
      offerTtlMs,
      seq: area.waitlistSeq + 1,
      position: area.waitlist.size + 1,
    },
  ];
}

/** LeaveWaitlist: a buyer not on the list changes nothing (leaving is idempotent). */
export function decideLeaveWaitlist(state: PartitionState, command: LeaveWaitlist): SeatEvent[] {
  const entry = findArea(state, command.sessionId, command.areaId)?.waitlist.get(command.buyerId);
  if (entry === undefined) return [];
  return [{ ...eventBase(command), type: "WaitlistLeft", entryId: entry.entryId, buyerId: entry.buyerId, reason: "left" }];
}

/** Whether an event gave seats back to sale (so the waiting list may be offered them). */
export function freesSeats(event: SeatEvent): boolean {
  switch (event.type) {
    case "HoldReleased":
    case "HoldExpired":
    case "HoldRevoked":
    case "HoldRefunded":
    case "SeatsUnblocked":
      return true;
    case "InventoryLoaded":
      return event.seats.length > 0;
    default:
      return false;
  }
}

/**
 * The next offer of the command's area, on the state its events left: the first entry in list
 * order whose seats are available and within the buyer's cap gets a hold of the best of them
 * for its offer window (`SeatsHeld` mode `offer`, then `WaitlistOffered`). An entry that does
 * not fit keeps its place; the ones behind it may still fit (fewer seats wanted). Empty when
 * nothing can be offered. Apply it again after evolving until it is empty.
 */
export function decideNextOffer(state: PartitionState, command: SeatCommand): SeatEvent[] {
  const area = findArea(state, command.sessionId, command.areaId);
  if (area === undefined || area.waitlist.size === 0 || area.available === 0) return [];
  for (const entry of area.waitlist.values()) {
    if (entry.quantity > area.available || overBuyerLimit(area, entry.buyerId, entry.quantity)) continue;
    if (lookupHold(area, entry.entryId) !== undefined) continue;
    const slots = chooseBestAvailable(area, entry.quantity);
    if (slots === undefined) continue;
    return offered(command, area, entry, slots.sort(venueOrder).map((slot) => slot.id));
  }
  return [];
}

function offered(command: SeatCommand, area: AreaState, entry: WaitEntry, seatIds: string[]): SeatEvent[] {
  const base = eventBase(command);
  const expiresAt = command.now + entry.offerTtlMs;
  const { entryId, buyerId } = entry;
  return [
    {
      ...base,
      type: "SeatsHeld",
      holdId: entryId,
      buyerId,
      seatIds,
      expiresAt,
      maxExpiresAt: expiresAt + area.config.maxHoldExtensionMs,
      mode: "offer",
    },
    { ...base, type: "WaitlistOffered", entryId, holdId: entryId, buyerId, seatIds: [...seatIds], expiresAt },
  ];
}

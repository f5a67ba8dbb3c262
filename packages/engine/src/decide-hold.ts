import type { HoldBestAvailable, HoldRejected, HoldSeats, SeatEvent } from "@rush/contracts";
import { chooseBestAvailable } from "./best-available.ts";
import { repeatedIds } from "./event-base.ts";
import { holdDuplicate, lookupHold } from "./hold-view.ts";
import { type AreaState, findArea, type PartitionState, type SeatSlot, venueOrder } from "./state.ts";

type HoldCommand = HoldSeats | HoldBestAvailable;

// Hot path: events list their base fields rather than spread eventBase(command); V8 builds
// spread objects several times slower, and holds are most of a flash sale's commands.

function rejected(
  command: HoldCommand,
  reason: HoldRejected["reason"],
  unavailable: readonly string[] = [],
  limit?: HoldRejected["limit"],
): SeatEvent[] {
  const event: HoldRejected = {
    commandId: command.commandId,
    sessionId: command.sessionId,
    areaId: command.areaId,
    at: command.now,
    type: "HoldRejected",
    holdId: command.holdId,
    buyerId: command.buyerId,
    reason,
    unavailable: [...unavailable],
  };
  if (limit !== undefined) event.limit = limit;
  return [event];
}

/** Checks shared by both hold commands, before any seat is looked at. */
function precheck(state: PartitionState, command: HoldCommand, quantity: number): AreaState | SeatEvent[] {
  const area = findArea(state, command.sessionId, command.areaId);
  if (area === undefined) return rejected(command, "not_on_sale");
  const known = lookupHold(area, command.holdId);
  if (known !== undefined) {
    return [holdDuplicate(command, known)];
  }
  if (!Number.isInteger(quantity) || quantity < 1) return rejected(command, "invalid");
  if (quantity > area.config.maxSeatsPerHold) return rejected(command, "limit_exceeded", [], "per_hold");
  return area;
}

function overBuyerLimit(area: AreaState, buyerId: string, quantity: number): boolean {
  return (area.buyerSeats.get(buyerId) ?? 0) + quantity > area.config.maxSeatsPerBuyer;
}

function held(command: HoldCommand, area: AreaState, slots: SeatSlot[]): SeatEvent[] {
  const { holdTtlMs, maxHoldExtensionMs } = area.config;
  return [
    {
      commandId: command.commandId,
      sessionId: command.sessionId,
      areaId: command.areaId,
      at: command.now,
      type: "SeatsHeld",
      holdId: command.holdId,
      buyerId: command.buyerId,
      seatIds: slots.sort(venueOrder).map((slot) => slot.id),
      expiresAt: command.now + holdTtlMs,
      maxExpiresAt: command.now + holdTtlMs + maxHoldExtensionMs,
      mode: command.type === "HoldSeats" ? "seats" : "best_available",
    },
  ];
}

/** HoldSeats: exactly these seats, all or nothing. */
export function decideHoldSeats(state: PartitionState, command: HoldSeats): SeatEvent[] {
  const area = precheck(state, command, command.seatIds.length);
  if (Array.isArray(area)) return area;
  const repeated = repeatedIds(command.seatIds);
  if (repeated.length > 0) return rejected(command, "invalid", repeated);
  const slots: SeatSlot[] = [];
  const unknown: string[] = [];
  for (const id of command.seatIds) {
    const slot = area.seats.get(id);
    if (slot === undefined) unknown.push(id);
    else slots.push(slot);
  }
  if (unknown.length > 0) return rejected(command, "unknown_seats", unknown);
  if (overBuyerLimit(area, command.buyerId, slots.length)) return rejected(command, "limit_exceeded", [], "per_buyer");
  const taken = slots.filter((slot) => slot.status !== "available").map((slot) => slot.id);
  if (taken.length > 0) return rejected(command, "unavailable", taken);
  return held(command, area, slots);
}

/** HoldBestAvailable: see `chooseBestAvailable` for which seats. */
export function decideHoldBestAvailable(state: PartitionState, command: HoldBestAvailable): SeatEvent[] {
  const area = precheck(state, command, command.quantity);
  if (Array.isArray(area)) return area;
  if (overBuyerLimit(area, command.buyerId, command.quantity)) {
    return rejected(command, "limit_exceeded", [], "per_buyer");
  }
  const slots = chooseBestAvailable(area, command.quantity);
  if (slots === undefined) return rejected(command, "unavailable");
  return held(command, area, slots);
}

import type { SeatEvent } from "@rush/contracts";
import { addBuyerSeats, addSeats, createArea, moveSeats, rememberEnded } from "./area.ts";
import { assertNever } from "./assert-never.ts";
import { SeatInvariantError } from "./errors.ts";
import { type AreaState, areaKey, findArea, type LiveHold, type PartitionState } from "./state.ts";

function requireArea(state: PartitionState, event: SeatEvent): AreaState {
  const area = findArea(state, event.sessionId, event.areaId);
  if (area === undefined)
    throw new SeatInvariantError(`${event.type} for unloaded area ${areaKey(event.sessionId, event.areaId)}`);
  return area;
}

function requireHold(area: AreaState, holdId: string): LiveHold {
  const hold = area.holds.get(holdId);
  if (hold === undefined) throw new SeatInvariantError(`hold ${holdId} is not live in area ${area.areaId}`);
  return hold;
}

/** Ends a live hold: its seats become available and the id is remembered with its outcome. */
function endHold(
  state: PartitionState,
  area: AreaState,
  holdId: string,
  status: "released" | "expired" | "revoked",
): void {
  const hold = requireHold(area, holdId);
  moveSeats(area, hold.seatIds, "held", holdId, "available", null);
  addBuyerSeats(area, hold.buyerId, -hold.seatIds.length);
  area.holds.delete(holdId);
  rememberEnded(area, state.endedHoldLimit, { holdId, buyerId: hold.buyerId, status });
}

/**
 * Applies one event to the state. MUTATES `state` in place and returns it (see PartitionState
 * for why). Events that change nothing (duplicates, most rejections) return it untouched.
 * Throws SeatInvariantError if the event contradicts the state: that is a bug, not an outcome.
 */
export function evolve(state: PartitionState, event: SeatEvent): PartitionState {
  // Every event changes at most the area it names (a new area starts at revision 0). Bumped even
  // for events that change nothing: a needless re-encode costs time, a missed one a stale snapshot.
  const named = findArea(state, event.sessionId, event.areaId);
  if (named !== undefined) named.revision++;
  switch (event.type) {
    case "InventoryLoaded": {
      const key = areaKey(event.sessionId, event.areaId);
      let area = state.areas.get(key);
      if (area === undefined) {
        area = createArea(event.sessionId, event.areaId, event.config);
        state.areas.set(key, area);
      }
      area.config = { ...event.config };
      addSeats(area, event.seats);
      return state;
    }
    case "SeatsHeld": {
      const area = requireArea(state, event);
      if (area.holds.has(event.holdId) || area.sold.has(event.holdId)) {
        throw new SeatInvariantError(`hold ${event.holdId} already exists`);
      }
      moveSeats(area, event.seatIds, "available", null, "held", event.holdId);
      area.holds.set(event.holdId, {
        holdId: event.holdId,
        buyerId: event.buyerId,
        seatIds: [...event.seatIds],
        createdAt: event.at,
        expiresAt: event.expiresAt,
        maxExpiresAt: event.maxExpiresAt,
      });
      addBuyerSeats(area, event.buyerId, event.seatIds.length);
      return state;
    }
    case "HoldRejected": {
      // Remembered so a duplicate gets the same answer; an unloaded area has nowhere to keep it.
      const area = findArea(state, event.sessionId, event.areaId);
      if (
        area === undefined ||
        area.holds.has(event.holdId) ||
        area.sold.has(event.holdId) ||
        area.ended.has(event.holdId)
      ) {
        return state;
      }
      rememberEnded(area, state.endedHoldLimit, {
        holdId: event.holdId,
        buyerId: event.buyerId,
        status: "rejected",
        reason: event.reason,
      });
      return state;
    }
    case "HoldReleased":
      endHold(state, requireArea(state, event), event.holdId, "released");
      return state;
    case "HoldExpired":
      endHold(state, requireArea(state, event), event.holdId, "expired");
      return state;
    case "HoldRevoked":
      endHold(state, requireArea(state, event), event.holdId, "revoked");
      return state;
    case "HoldExtended":
      requireHold(requireArea(state, event), event.holdId).expiresAt = event.expiresAt;
      return state;
    case "SeatsSold": {
      const area = requireArea(state, event);
      const hold = requireHold(area, event.holdId);
      moveSeats(area, hold.seatIds, "held", hold.holdId, "sold", hold.holdId);
      area.holds.delete(hold.holdId);
      const { holdId, buyerId, seatIds } = hold;
      area.sold.set(holdId, { holdId, buyerId, seatIds, paymentId: event.paymentId, soldAt: event.at });
      return state;
    }
    case "HoldRefunded": {
      const area = requireArea(state, event);
      const sold = area.sold.get(event.holdId);
      if (sold === undefined) throw new SeatInvariantError(`hold ${event.holdId} is not sold in area ${area.areaId}`);
      moveSeats(area, sold.seatIds, "sold", sold.holdId, "available", null);
      addBuyerSeats(area, sold.buyerId, -sold.seatIds.length);
      area.sold.delete(sold.holdId);
      // Remembered as released: a late confirm of it is refused, so its payment is refunded too.
      rememberEnded(area, state.endedHoldLimit, { holdId: sold.holdId, buyerId: sold.buyerId, status: "released" });
      return state;
    }
    case "SeatsBlocked":
      moveSeats(requireArea(state, event), event.seatIds, "available", null, "blocked", null);
      return state;
    case "SeatsUnblocked":
      moveSeats(requireArea(state, event), event.seatIds, "blocked", null, "available", null);
      return state;
    case "WaitlistJoined": {
      const area = requireArea(state, event);
      if (area.waitlist.has(event.buyerId)) throw new SeatInvariantError(`buyer ${event.buyerId} is on the waiting list already`);
      const { entryId, buyerId, quantity, offerTtlMs, seq } = event;
      area.waitlist.set(buyerId, { entryId, buyerId, quantity, offerTtlMs, seq, joinedAt: event.at });
      area.waitlistSeq = seq;
      return state;
    }
    case "WaitlistLeft":
    case "WaitlistOffered": {
      const area = requireArea(state, event);
      if (area.waitlist.get(event.buyerId)?.entryId !== event.entryId) {
        throw new SeatInvariantError(`entry ${event.entryId} is not on the waiting list of ${area.areaId}`);
      }
      area.waitlist.delete(event.buyerId);
      return state;
    }
    case "WaitlistAlreadyJoined":
    case "WaitlistJoinRejected":
    case "InventoryRejected":
    case "HoldDuplicate":
    case "ReleaseRejected":
    case "ExtendRejected":
    case "ConfirmRejected":
    case "BlockRejected":
    case "UnblockRejected":
      return state;
    default:
      return assertNever(event);
  }
}

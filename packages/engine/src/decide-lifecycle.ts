import type {
  ConfirmHold,
  ConfirmRejected,
  ExpireHold,
  ExtendHold,
  ExtendRejected,
  ReleaseHold,
  ReleaseRejected,
  RevokeHold,
  SeatCommand,
  SeatEvent,
} from "@rush/contracts";
import { assertNever } from "./assert-never.ts";
import { type HoldLookup, holdDuplicate, lookupHold, viewOf } from "./hold-view.ts";
import { findArea, type LiveHold, type PartitionState } from "./state.ts";

/**
 * Commands on an existing hold. A hold is live at `now` while `now < expiresAt`. A command
 * that finds its hold past expiry but not yet expired (its ExpireHold is still on the way)
 * expires it on the spot, so the outcome never depends on when the timer fired.
 *
 * Hot path: events list their base fields rather than spread eventBase(command), which V8
 * builds several times slower.
 */

function find(state: PartitionState, command: SeatCommand & { holdId: string }): HoldLookup | undefined {
  const area = findArea(state, command.sessionId, command.areaId);
  return area === undefined ? undefined : lookupHold(area, command.holdId);
}

const lapsed = (hold: LiveHold, now: number): boolean => now >= hold.expiresAt;

function expired(command: SeatCommand, hold: LiveHold): SeatEvent {
  const { holdId, buyerId, seatIds, expiresAt } = hold;
  return {
    commandId: command.commandId,
    sessionId: command.sessionId,
    areaId: command.areaId,
    at: command.now,
    type: "HoldExpired",
    holdId,
    buyerId,
    seatIds: [...seatIds],
    expiresAt,
  };
}

/** ReleaseHold: the owner gives a live hold back. */
export function decideRelease(state: PartitionState, command: ReleaseHold): SeatEvent[] {
  const found = find(state, command);
  const reject = (reason: ReleaseRejected["reason"]): SeatEvent[] => {
    const event: ReleaseRejected = {
      commandId: command.commandId,
      sessionId: command.sessionId,
      areaId: command.areaId,
      at: command.now,
      type: "ReleaseRejected",
      holdId: command.holdId,
      buyerId: command.buyerId,
      reason,
    };
    if (found !== undefined) event.holdStatus = viewOf(found).status;
    return [event];
  };
  if (found === undefined) return reject("unknown_hold");
  if (found.hold.buyerId !== command.buyerId) return reject("not_owner");
  switch (found.kind) {
    case "live": {
      const { holdId, buyerId, seatIds } = found.hold;
      return [
        {
          commandId: command.commandId,
          sessionId: command.sessionId,
          areaId: command.areaId,
          at: command.now,
          type: "HoldReleased",
          holdId,
          buyerId,
          seatIds: [...seatIds],
        },
      ];
    }
    case "sold":
      return reject("already_sold");
    case "ended":
      return reject(found.hold.status === "rejected" ? "unknown_hold" : "already_ended");
    default:
      return assertNever(found);
  }
}

/** ExtendHold: live until at least `now + byMs`, capped at the hold's `maxExpiresAt`. */
export function decideExtend(state: PartitionState, command: ExtendHold): SeatEvent[] {
  const found = find(state, command);
  const reject = (reason: ExtendRejected["reason"]): ExtendRejected => {
    const event: ExtendRejected = {
      commandId: command.commandId,
      sessionId: command.sessionId,
      areaId: command.areaId,
      at: command.now,
      type: "ExtendRejected",
      holdId: command.holdId,
      reason,
    };
    if (found !== undefined) event.holdStatus = viewOf(found).status;
    return event;
  };
  if (found === undefined) return [reject("unknown_hold")];
  if (command.buyerId !== undefined && found.hold.buyerId !== command.buyerId) return [reject("not_owner")];
  switch (found.kind) {
    case "live": {
      const hold = found.hold;
      if (lapsed(hold, command.now)) {
        const expiry = expired(command, hold);
        return [expiry, { ...reject("expired"), holdStatus: "expired" }];
      }
      const wanted = command.now + command.byMs;
      return [
        {
          commandId: command.commandId,
          sessionId: command.sessionId,
          areaId: command.areaId,
          at: command.now,
          type: "HoldExtended",
          holdId: hold.holdId,
          buyerId: hold.buyerId,
          seatIds: [...hold.seatIds],
          previousExpiresAt: hold.expiresAt,
          expiresAt: Math.min(Math.max(hold.expiresAt, wanted), hold.maxExpiresAt),
          maxExpiresAt: hold.maxExpiresAt,
          capped: wanted > hold.maxExpiresAt,
        },
      ];
    }
    case "sold":
      return [reject("already_sold")];
    case "ended":
      if (found.hold.status === "expired") return [reject("expired")];
      return [reject(found.hold.status === "rejected" ? "unknown_hold" : "already_ended")];
    default:
      return assertNever(found);
  }
}

/** ExpireHold: the hold's timer fired. Nothing happens unless the hold is live and due at `now`. */
export function decideExpire(state: PartitionState, command: ExpireHold): SeatEvent[] {
  const found = find(state, command);
  if (found?.kind !== "live" || !lapsed(found.hold, command.now)) return [];
  return [expired(command, found.hold)];
}

/** ConfirmHold: payment succeeded; sell the seats if the hold is live at `now`, else say why not. */
export function decideConfirm(state: PartitionState, command: ConfirmHold): SeatEvent[] {
  const found = find(state, command);
  const reject = (reason: ConfirmRejected["reason"]): SeatEvent => {
    const event: ConfirmRejected = {
      commandId: command.commandId,
      sessionId: command.sessionId,
      areaId: command.areaId,
      at: command.now,
      type: "ConfirmRejected",
      holdId: command.holdId,
      paymentId: command.paymentId,
      reason,
    };
    if (found !== undefined) event.buyerId = found.hold.buyerId;
    return event;
  };
  if (found === undefined) return [reject("unknown_hold")];
  switch (found.kind) {
    case "live": {
      const hold = found.hold;
      if (lapsed(hold, command.now)) return [expired(command, hold), reject("expired")];
      const { holdId, buyerId, seatIds } = hold;
      return [
        {
          commandId: command.commandId,
          sessionId: command.sessionId,
          areaId: command.areaId,
          at: command.now,
          type: "SeatsSold",
          holdId,
          buyerId,
          paymentId: command.paymentId,
          seatIds: [...seatIds],
        },
      ];
    }
    case "sold":
      if (found.hold.paymentId === command.paymentId) {
        return [holdDuplicate(command, found)];
      }
      return [reject("already_sold")];
    case "ended": {
      const status = found.hold.status;
      return [reject(status === "rejected" ? "unknown_hold" : status)];
    }
    default:
      return assertNever(found);
  }
}

/** RevokeHold: the Redis fence refused a live hold; undo it. A no-op if the hold is not live. */
export function decideRevoke(state: PartitionState, command: RevokeHold): SeatEvent[] {
  const found = find(state, command);
  if (found?.kind !== "live") return [];
  const { holdId, buyerId, seatIds } = found.hold;
  return [
    {
      commandId: command.commandId,
      sessionId: command.sessionId,
      areaId: command.areaId,
      at: command.now,
      type: "HoldRevoked",
      holdId,
      buyerId,
      seatIds: [...seatIds],
      reason: command.reason,
    },
  ];
}

import type { SeatCommand, SeatEvent } from "@rush/contracts";
import { assertNever } from "./assert-never.ts";
import { decideHoldBestAvailable, decideHoldSeats } from "./decide-hold.ts";
import { decideBlock, decideLoad, decideUnblock } from "./decide-inventory.ts";
import { decideCancelArea, decideRefund } from "./decide-refunds.ts";
import { decideConfirm, decideExpire, decideExtend, decideRelease, decideRevoke } from "./decide-lifecycle.ts";
import type { PartitionState } from "./state.ts";
import { decideJoinWaitlist, decideLeaveWaitlist } from "./decide-waitlist.ts";

/**
 * What a command means in the current state, as events; reads the state, never changes it.
 * Pure: time comes from `command.now`, ids from the command. Expected outcomes (seat taken,
 * hold expired, duplicate) are events; an empty list means the command changes nothing.
 * Offers to a waiting list are decided after these events are applied: see `apply`.
 */
export function decide(state: PartitionState, command: SeatCommand): SeatEvent[] {
  switch (command.type) {
    case "LoadInventory":
      return decideLoad(state, command);
    case "HoldSeats":
      return decideHoldSeats(state, command);
    case "HoldBestAvailable":
      return decideHoldBestAvailable(state, command);
    case "ReleaseHold":
      return decideRelease(state, command);
    case "ExtendHold":
      return decideExtend(state, command);
    case "ExpireHold":
      return decideExpire(state, command);
    case "ConfirmHold":
      return decideConfirm(state, command);
    case "RevokeHold":
      return decideRevoke(state, command);
    case "BlockSeats":
      return decideBlock(state, command);
    case "UnblockSeats":
      return decideUnblock(state, command);
    case "RefundHold":
      return decideRefund(state, command);
    case "CancelArea":
      return decideCancelArea(state, command);
    case "JoinWaitlist":
      return decideJoinWaitlist(state, command);
    case "LeaveWaitlist":
      return decideLeaveWaitlist(state, command);
    default:
      return assertNever(command);
  }
}

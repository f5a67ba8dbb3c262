import { type SeatEvent, type SeatEventKind, seatEventSubject } from "@rush/contracts";
import { assertNever } from "@rush/engine";

/**
 * Which stream subject an event goes to, or `undefined` for outcomes that change nothing and
 * concern only the asker (they travel in the reply alone).
 */
export function eventKind(event: SeatEvent): SeatEventKind | undefined {
  switch (event.type) {
    case "SeatsHeld":
      return "locked";
    case "HoldRejected":
      return "lockFailed";
    case "HoldReleased":
    case "HoldRevoked":
    case "HoldRefunded":
      return "released";
    case "HoldExpired":
      return "expired";
    case "SeatsSold":
      return "sold";
    case "ConfirmRejected":
      return "confirmFailed";
    case "HoldExtended":
      return "extended";
    case "InventoryLoaded":
    case "SeatsBlocked":
    case "SeatsUnblocked":
      return "inventory";
    case "WaitlistJoined":
    case "WaitlistLeft":
    case "WaitlistOffered":
      return "waitlist";
    case "WaitlistAlreadyJoined":
    case "WaitlistJoinRejected":
    case "InventoryRejected":
    case "HoldDuplicate":
    case "ReleaseRejected":
    case "ExtendRejected":
    case "BlockRejected":
    case "UnblockRejected":
      return undefined;
    default:
      return assertNever(event);
  }
}

export const subjectOf = (event: SeatEvent, partition: number): string | undefined => {
  const kind = eventKind(event);
  return kind ? seatEventSubject(kind, partition) : undefined;
};

/**
 * What goes on the wire: an `InventoryLoaded` of a big area would exceed the 1 MiB message
 * limit, and no consumer needs its seat list (the catalog has it), so only the count travels.
 */
export function forWire(event: SeatEvent): SeatEvent {
  return event.type === "InventoryLoaded" ? { ...event, seats: [] } : event;
}

import type { HoldDuplicate, HoldView } from "@rush/contracts";
import { assertNever } from "./assert-never.ts";
import {
  findArea,
  type AreaState,
  type EndedHold,
  type LiveHold,
  type PartitionState,
  type SoldHold,
} from "./state.ts";

/** Where a hold id stands in an area. */
export type HoldLookup =
  | { readonly kind: "live"; readonly hold: LiveHold }
  | { readonly kind: "sold"; readonly hold: SoldHold }
  | { readonly kind: "ended"; readonly hold: EndedHold };

export function lookupHold(area: AreaState, holdId: string): HoldLookup | undefined {
  const live = area.holds.get(holdId);
  if (live !== undefined) return { kind: "live", hold: live };
  const sold = area.sold.get(holdId);
  if (sold !== undefined) return { kind: "sold", hold: sold };
  const ended = area.ended.get(holdId);
  if (ended !== undefined) return { kind: "ended", hold: ended };
  return undefined;
}

export function viewOf(found: HoldLookup): HoldView {
  switch (found.kind) {
    case "live": {
      const { holdId, buyerId, seatIds, expiresAt, maxExpiresAt } = found.hold;
      return { holdId, buyerId, status: "held", seatIds: [...seatIds], expiresAt, maxExpiresAt };
    }
    case "sold": {
      const { holdId, buyerId, seatIds, paymentId } = found.hold;
      return { holdId, buyerId, status: "sold", seatIds: [...seatIds], paymentId };
    }
    case "ended": {
      const { holdId, buyerId, status, reason } = found.hold;
      return reason === undefined
        ? { holdId, buyerId, status, seatIds: [] }
        : { holdId, buyerId, status, seatIds: [], reason };
    }
    default:
      return assertNever(found);
  }
}

/**
 * What the area knows of a hold id: live (`held`, with expiry), `sold`, or recently ended
 * (`released`/`expired`/`revoked`/`rejected`, without seats). `undefined` if the area is not
 * loaded or the id is unknown (never seen, or ended long enough ago to be forgotten).
 * Note a `held` hold may already be past `expiresAt` until its ExpireHold command lands.
 */
export function holdView(
  state: PartitionState,
  sessionId: string,
  areaId: string,
  holdId: string,
): HoldView | undefined {
  const area = findArea(state, sessionId, areaId);
  const found = area === undefined ? undefined : lookupHold(area, holdId);
  return found === undefined ? undefined : viewOf(found);
}

/** The answer to a hold command (or a confirm) repeated for a hold that already exists: its current view. */
export function holdDuplicate(
  command: { commandId: string; sessionId: string; areaId: string; now: number; holdId: string },
  found: HoldLookup,
): HoldDuplicate {
  return {
    commandId: command.commandId,
    sessionId: command.sessionId,
    areaId: command.areaId,
    at: command.now,
    type: "HoldDuplicate",
    holdId: command.holdId,
    hold: viewOf(found),
  };
}

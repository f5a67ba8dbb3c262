import type { ExpireHold } from "@rush/contracts";
import type { PartitionState } from "./state.ts";

/** A live hold and when it runs out. */
export interface HoldExpiry {
  readonly sessionId: string;
  readonly areaId: string;
  readonly holdId: string;
  readonly expiresAt: number;
}

/** Every live hold with its current expiry (to arm timers after a restore), in no particular order. */
export function* liveHoldExpiries(state: PartitionState): Generator<HoldExpiry> {
  for (const area of state.areas.values()) {
    for (const hold of area.holds.values()) {
      yield { sessionId: area.sessionId, areaId: area.areaId, holdId: hold.holdId, expiresAt: hold.expiresAt };
    }
  }
}

/** Live holds due at `now` (expiresAt ≤ now), earliest first, at most `limit`. O(live holds). */
export function dueExpiries(state: PartitionState, now: number, limit = Number.POSITIVE_INFINITY): HoldExpiry[] {
  const due: HoldExpiry[] = [];
  for (const expiry of liveHoldExpiries(state)) if (expiry.expiresAt <= now) due.push(expiry);
  due.sort((a, b) => a.expiresAt - b.expiresAt || (a.holdId < b.holdId ? -1 : a.holdId > b.holdId ? 1 : 0));
  return due.slice(0, limit);
}

/** The earliest expiry among live holds, or undefined if none: when to wake up next. O(live holds). */
export function nextExpiry(state: PartitionState): number | undefined {
  let next: number | undefined;
  for (const expiry of liveHoldExpiries(state))
    if (next === undefined || expiry.expiresAt < next) next = expiry.expiresAt;
  return next;
}

/**
 * The ExpireHold command to append for a due hold. Its commandId is derived from the hold and
 * expiry (`expire:<holdId>:<expiresAt>`), so appending it twice dedupes by Nats-Msg-Id.
 * `now` is clamped to the expiry, so a timer that fires a little early still expires the hold.
 */
export function expireHoldCommand(expiry: HoldExpiry, now: number): ExpireHold {
  return {
    type: "ExpireHold",
    commandId: `expire:${expiry.holdId}:${expiry.expiresAt}`,
    sessionId: expiry.sessionId,
    areaId: expiry.areaId,
    holdId: expiry.holdId,
    now: Math.max(now, expiry.expiresAt),
  };
}

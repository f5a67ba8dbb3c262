import { type SeatEvent, seatStatusChange } from "@rush/contracts";
import { type PartitionState, assertNever, holdView } from "@rush/engine";
import type { RedisBatch } from "./redis-batch.ts";

/** Queues the Redis side of one event: fence, read model, the live seat map's change set. */
export function queueRedisEffects(batch: RedisBatch, event: SeatEvent): void {
  // A loaded area's seats are new, not changed: browsers read them with the seat map.
  const change = event.type === "InventoryLoaded" ? undefined : seatStatusChange(event);
  if (change) batch.changed(event.sessionId, change.seatIds);
  switch (event.type) {
    case "SeatsHeld":
      batch.hold(event.sessionId, event.holdId, event.buyerId, event.seatIds, event.expiresAt);
      return;
    case "HoldReleased":
    case "HoldExpired":
    case "HoldRevoked":
    // A sold seat's lock is owned by its hold too: freed the same way.
    case "HoldRefunded":
      batch.free(event.sessionId, event.holdId, event.seatIds);
      return;
    case "SeatsSold":
      batch.sell(event.sessionId, event.holdId, event.seatIds);
      return;
    case "HoldExtended":
      batch.extend(event.sessionId, event.holdId, event.seatIds, event.expiresAt);
      return;
    case "InventoryLoaded":
      batch.statuses(event.sessionId, event.seats.map((s) => [s.id, "a"] as const));
      return;
    case "SeatsBlocked":
      batch.statuses(event.sessionId, event.seatIds.map((id) => [id, "b"] as const));
      return;
    case "SeatsUnblocked":
      batch.statuses(event.sessionId, event.seatIds.map((id) => [id, "a"] as const));
      return;
    case "WaitlistJoined":
      batch.waitlistPlace(event.sessionId, event.buyerId, event.seq, {
        entryId: event.entryId,
        areaId: event.areaId,
        quantity: event.quantity,
        status: "waiting",
      });
      return;
    case "WaitlistOffered":
      batch.waitlistOffer(event.sessionId, event.buyerId, {
        entryId: event.entryId,
        areaId: event.areaId,
        quantity: event.seatIds.length,
        status: "offered",
        seatIds: event.seatIds,
        expiresAt: event.expiresAt,
      });
      return;
    case "WaitlistLeft":
      batch.waitlistLeave(event.sessionId, event.areaId, event.buyerId);
      return;
    case "WaitlistAlreadyJoined":
    case "WaitlistJoinRejected":
    case "InventoryRejected":
    case "HoldRejected":
    case "HoldDuplicate":
    case "ReleaseRejected":
    case "ExtendRejected":
    case "ConfirmRejected":
    case "BlockRejected":
    case "UnblockRejected":
      return;
    default:
      assertNever(event);
  }
}

/** The hold an event is about, if any: its view is refreshed after the command. */
export function holdOf(event: SeatEvent): string | undefined {
  return "holdId" in event ? event.holdId : undefined;
}

/** The hold's current view as the gate serves it (`GET /v1/holds/:id`). */
export function holdViewRecord(state: PartitionState, event: SeatEvent & { holdId: string }) {
  const view = holdView(state, event.sessionId, event.areaId, event.holdId);
  return view ? { ...view, sessionId: event.sessionId, areaId: event.areaId } : undefined;
}

/** Writes the whole read model and every lock of `state` again (after a restore or a Redis restart). */
export function queueResync(batch: RedisBatch, state: PartitionState): void {
  for (const area of state.areas.values()) {
    const entries: [string, string][] = [];
    for (const slot of area.seats.values()) {
      if (slot.status === "held") continue; // written with its lock below
      entries.push([slot.id, slot.status === "available" ? "a" : slot.status === "sold" ? "s" : "b"]);
    }
    batch.statuses(area.sessionId, entries);
    for (const hold of area.holds.values()) {
      // The same all-or-nothing script as a new hold: locks already ours are kept, another
      // hold's lock is never stolen (the actor logs that as a split brain).
      batch.hold(area.sessionId, hold.holdId, hold.buyerId, hold.seatIds, hold.expiresAt);
    }
    for (const sold of area.sold.values()) batch.sell(area.sessionId, sold.holdId, sold.seatIds);
    batch.waitlistReset(area.sessionId, area.areaId);
    for (const { entryId, buyerId, quantity, seq } of area.waitlist.values()) {
      batch.waitlistPlace(area.sessionId, buyerId, seq, { entryId, areaId: area.areaId, quantity, status: "waiting" });
    }
  }
}

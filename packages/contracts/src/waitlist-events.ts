import { z } from "zod";
import { AreaId, SeatId } from "./seat-inventory.ts";

/**
 * What a seat actor decided about its waiting lists (`seat.waitlist.<partition>` on SEAT_EVENTS,
 * except the answers that change nothing, which travel in the reply alone). An offer is also a
 * hold: `WaitlistOffered` comes right after the `SeatsHeld` (mode `offer`) it describes.
 */

const base = {
  commandId: z.string(),
  sessionId: z.string(),
  areaId: AreaId,
  at: z.int(),
};

/** A buyer's place on an area's list. `position` is 1 for the next to be offered. */
const place = {
  entryId: z.string(),
  buyerId: z.string(),
  quantity: z.int(),
  /** Increases with every join of the area: the list's order. */
  seq: z.int(),
  position: z.int().min(1),
};

/** A buyer joined the list. */
export const WaitlistJoined = z.object({ ...base, type: z.literal("WaitlistJoined"), ...place, offerTtlMs: z.int() });
export type WaitlistJoined = z.infer<typeof WaitlistJoined>;

/** The buyer was on the list already: nothing changed, `entryId` and place are the first join's. */
export const WaitlistAlreadyJoined = z.object({ ...base, type: z.literal("WaitlistAlreadyJoined"), ...place });
export type WaitlistAlreadyJoined = z.infer<typeof WaitlistAlreadyJoined>;

/**
 * The join was turned down: `seats_available` (buy instead: `available` seats are on sale),
 * `limit_exceeded` (more than a hold or the buyer may have), `not_on_sale`, `invalid` (the
 * entry id is already a hold id of the area).
 */
export const WaitlistJoinRejected = z.object({
  ...base,
  type: z.literal("WaitlistJoinRejected"),
  entryId: z.string(),
  buyerId: z.string(),
  reason: z.enum(["seats_available", "limit_exceeded", "not_on_sale", "invalid"]),
  available: z.int().min(0),
});
export type WaitlistJoinRejected = z.infer<typeof WaitlistJoinRejected>;

/** A buyer left the list: by asking (`left`) or because the session was cancelled. */
export const WaitlistLeft = z.object({
  ...base,
  type: z.literal("WaitlistLeft"),
  entryId: z.string(),
  buyerId: z.string(),
  reason: z.enum(["left", "session_cancelled"]),
});
export type WaitlistLeft = z.infer<typeof WaitlistLeft>;

/**
 * The buyer at the front whose seats fit was offered them: a hold (`holdId` = the entry id) of
 * `seatIds` until `expiresAt`, paid through its order like any hold. The entry leaves the list;
 * an offer not paid in time expires like a hold, and its seats go to the next on the list.
 */
export const WaitlistOffered = z.object({
  ...base,
  type: z.literal("WaitlistOffered"),
  entryId: z.string(),
  holdId: z.string(),
  buyerId: z.string(),
  seatIds: z.array(SeatId),
  expiresAt: z.int(),
});
export type WaitlistOffered = z.infer<typeof WaitlistOffered>;

/** The waiting-list events that go on the stream (the others answer the asker only). */
export const WaitlistStreamEvent = z.discriminatedUnion("type", [WaitlistJoined, WaitlistLeft, WaitlistOffered]);
export type WaitlistStreamEvent = z.infer<typeof WaitlistStreamEvent>;

import { z } from "zod";
import { AreaId } from "../seat-inventory.ts";

/**
 * HTTP bodies of the waiting list of a sold-out session (`/v1/sessions/:id/waitlist`): join,
 * see your place or your offer, leave. The gate validates with these and documents them.
 */

/** `POST`: how many seats, and in which area (optional when the session has only one). */
export const WaitlistJoinRequest = z.strictObject({
  areaId: AreaId.optional(),
  quantity: z.int().min(1).max(100),
});
export type WaitlistJoinRequest = z.infer<typeof WaitlistJoinRequest>;

/** `DELETE ?areaId=`: leave one area's list; without it, every list of the session. */
export const WaitlistLeaveQuery = z.strictObject({ areaId: AreaId.optional() });
export type WaitlistLeaveQuery = z.infer<typeof WaitlistLeaveQuery>;

/**
 * One of the caller's places: `waiting` at `position` (1 = offered next), or `offered` seats
 * held for them until `expiresAt` (pay `orderId` as for any hold; an offer not paid in time
 * passes to the next buyer and is reported `lapsed`), or `bought`.
 */
export const WaitlistEntryView = z.object({
  entryId: z.uuid(),
  areaId: AreaId,
  quantity: z.int().min(1),
  status: z.enum(["waiting", "offered", "lapsed", "bought"]),
  position: z.int().min(1).optional(),
  holdId: z.uuid().optional(),
  orderId: z.uuid().optional(),
  seatIds: z.array(z.string()).optional(),
  /** ISO 8601: when an offer ends. */
  expiresAt: z.iso.datetime().optional(),
});
export type WaitlistEntryView = z.infer<typeof WaitlistEntryView>;

/** `GET` (and the answer to `POST`): the caller's places on the session's lists. */
export const WaitlistStatus = z.object({
  sessionId: z.uuid(),
  entries: z.array(WaitlistEntryView),
});
export type WaitlistStatus = z.infer<typeof WaitlistStatus>;

/** Pushed to the buyer's open pages (socket.io `waitlist`): seats are held for them until `expiresAt`. */
export const WaitlistOfferUpdate = z.object({
  sessionId: z.uuid(),
  areaId: AreaId,
  status: z.literal("offered"),
  holdId: z.uuid(),
  orderId: z.uuid(),
  seatIds: z.array(z.string()),
  /** ISO 8601. */
  expiresAt: z.iso.datetime(),
});
export type WaitlistOfferUpdate = z.infer<typeof WaitlistOfferUpdate>;

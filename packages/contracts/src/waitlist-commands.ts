import { z } from "zod";
import { BuyerId, seatCommandBase } from "./seat-command-base.ts";

/**
 * Waiting-list commands to a seat actor (`seat.cmd.<partition>`, like every seat command): the
 * list of a sold-out area lives in the actor that owns the area, so seats that come back are
 * offered to it in the same step that frees them, before any racer on the seat map can ask.
 */

const base = seatCommandBase;

/** Longest offer window a command may ask for (a day): anything longer is a typo. */
export const MAX_WAITLIST_OFFER_TTL_MS = 86_400_000;

/**
 * Join the area's waiting list for `quantity` seats. Rejected while `quantity` seats can be
 * bought outright. Idempotent per buyer: a buyer already on the list keeps their place.
 * `entryId` becomes the id of the offer's hold (and so of its order), `offerTtlMs` its lifetime.
 */
export const JoinWaitlist = z.object({
  ...base,
  type: z.literal("JoinWaitlist"),
  entryId: z.uuid(),
  buyerId: BuyerId,
  quantity: z.int().min(1).max(100),
  offerTtlMs: z.int().min(1_000).max(MAX_WAITLIST_OFFER_TTL_MS),
});
export type JoinWaitlist = z.infer<typeof JoinWaitlist>;

/** Leave the area's waiting list. A buyer not on it changes nothing. */
export const LeaveWaitlist = z.object({
  ...base,
  type: z.literal("LeaveWaitlist"),
  buyerId: BuyerId,
});
export type LeaveWaitlist = z.infer<typeof LeaveWaitlist>;

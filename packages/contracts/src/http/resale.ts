import { z } from "zod";
import { Money } from "../money.ts";
import { SeatId } from "../seat-inventory.ts";

/**
 * Resale at face value (issue 15): a holder lists a ticket, another buyer buys it through the
 * normal pay flow. The API takes no price: a listing always asks what the seller paid.
 */

/**
 * `POST /v1/tickets/:id/resale`: an empty body (or none). A `price` is refused by name (400):
 * the price is the ticket's face value, never more.
 */
export const ListTicketRequest = z.strictObject({});

export const ListingStatus = z.enum(["listed", "sold", "withdrawn"]);
export const PayoutStatus = z.enum(["pending", "failed", "refunded"]);

/** A listing as its seller sees it (`POST /v1/tickets/:id/resale`, `GET /v1/me/resale`). */
export const ListingView = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  sessionId: z.uuid(),
  seatId: SeatId,
  price: Money,
  status: ListingStatus,
  /** True while a buyer's resale order holds it (until `reservedUntil`). */
  reserved: z.boolean(),
  /** The seller's refund of the face value once sold: `pending`, `failed` (retried) or `refunded`. */
  payoutStatus: PayoutStatus.optional(),
  createdAt: z.iso.datetime(),
  soldAt: z.iso.datetime().optional(),
});
export type ListingView = z.infer<typeof ListingView>;

export const ListingList = z.object({ items: z.array(ListingView) });
export type ListingList = z.infer<typeof ListingList>;

/** `GET /v1/sessions/:id/resale`: what a buyer can buy now (listed, not held by another buyer). */
export const OfferView = z.object({ id: z.uuid(), sessionId: z.uuid(), seatId: SeatId, price: Money });
export type OfferView = z.infer<typeof OfferView>;
export const OfferList = z.object({ items: z.array(OfferView) });
export type OfferList = z.infer<typeof OfferList>;

export const ListingIdParams = z.strictObject({ listingId: z.uuid() });

/** `POST /v1/resale/:listingId/buy`: 201 with the resale order to pay (`POST /v1/orders/:orderId/pay`). */
export const BuyListingRequest = z.strictObject({});
export const BuyListingResponse = z.object({
  orderId: z.uuid(),
  listingId: z.uuid(),
  sessionId: z.uuid(),
  seatId: SeatId,
  price: Money,
  /** ISO 8601: pay before this or the listing goes back on offer. */
  expiresAt: z.iso.datetime(),
});
export type BuyListingResponse = z.infer<typeof BuyListingResponse>;

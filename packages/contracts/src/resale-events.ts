import { z } from "zod";
import { Money } from "./money.ts";

/**
 * A listed ticket was bought (`ticket.resold.<oldTicketId>`, stream TICKETS, msg-id
 * `<listingId>:resold`): the old ticket is void (its QR refused at the door), `newTicketId` is
 * the buyer's, and the seller's refund of `price` is under way. Published by the order service
 * in the transaction's wake; a replay of the stream sees every resale.
 */
export const TicketResold = z.object({
  type: z.literal("TicketResold"),
  listingId: z.uuid(),
  ticketId: z.uuid(),
  newTicketId: z.uuid(),
  sessionId: z.uuid(),
  seatId: z.string(),
  sellerId: z.uuid(),
  buyerId: z.uuid(),
  /** The buyer's resale order. */
  orderId: z.uuid(),
  price: Money,
  at: z.int(),
});
export type TicketResold = z.infer<typeof TicketResold>;

/**
 * The payment service asks the order service to complete a paid resale order (core NATS request
 * on `RESALE_CONFIRM_SUBJECT`, like `ConfirmHold` to a seat actor): the one transaction that
 * voids the old ticket, issues the new one and starts the seller's payout. Idempotent: asked
 * again, a sold listing answers `sold` again.
 */
export const RESALE_CONFIRM_SUBJECT = "resale.confirm";
export const ResaleConfirmRequest = z.object({ orderId: z.uuid(), paymentId: z.uuid() });
export type ResaleConfirmRequest = z.infer<typeof ResaleConfirmRequest>;
export const ResaleConfirmReply = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("sold"), listingId: z.uuid(), newTicketId: z.uuid() }),
  /** The listing is no longer this order's (its window ran out and another buyer took it, the ticket was voided…): the money goes back. */
  z.object({ outcome: z.literal("rejected"), reason: z.string() }),
]);
export type ResaleConfirmReply = z.infer<typeof ResaleConfirmReply>;

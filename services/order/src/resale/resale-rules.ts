/**
 * Resale decisions, pure (time comes in). The store reads the rows under a lock and applies
 * these, so listing, transfer and buying race safely: whoever locks the ticket (or listing) row
 * first decides, and the other sees the result.
 */

/** What a listing decision needs to know about a ticket, its order and its session. */
export interface ListingFacts {
  callerId: string;
  ticket: { ownerId: string; status: "valid" | "used" | "void" };
  /** The order that paid for the ticket. */
  order: { buyerId: string; status: string };
  /** The payment behind that order: the seller's refund goes back to it. */
  payment: { status: string; settled: boolean } | undefined;
  session: { status: string; startsAt: number };
  /** A live listing of this ticket already exists. */
  listed: boolean;
  now: number;
}

export type ListingRefusal =
  | "not_found"
  | "ticket_used"
  | "ticket_void"
  | "ticket_transferred"
  | "order_not_completed"
  | "session_closed"
  | "already_listed";

/** Why a ticket cannot be listed now, or `undefined` when it can. */
export function listingRefusal(f: ListingFacts): ListingRefusal | undefined {
  if (f.ticket.ownerId !== f.callerId) return "not_found";
  if (f.ticket.status === "used") return "ticket_used";
  if (f.ticket.status === "void") return "ticket_void";
  // The face value goes back to the card that paid it: a ticket given away was paid by someone else.
  if (f.order.buyerId !== f.ticket.ownerId) return "ticket_transferred";
  if (f.order.status !== "completed" || f.payment?.status !== "succeeded" || !f.payment.settled) return "order_not_completed";
  if (!["on_sale", "closed"].includes(f.session.status) || f.session.startsAt <= f.now) return "session_closed";
  if (f.listed) return "already_listed";
  return undefined;
}

/** A listing row as the buy and withdraw decisions see it. */
export interface ListingState {
  status: "listed" | "sold" | "withdrawn";
  sellerId: string;
  /** The resale order reserving it, and until when (epoch ms). */
  orderId: string | null;
  reservedUntil: number | null;
  /** The buyer of that order. */
  reservedBy: string | null;
}

/** A listing is held while a buyer's order reserves it and its window is ahead. */
export const isReserved = (l: ListingState, now: number): boolean => l.orderId !== null && l.reservedUntil !== null && l.reservedUntil > now;

export type BuyDecision =
  | { outcome: "reserve"; abandonedOrderId: string | null }
  | { outcome: "mine"; orderId: string }
  | { outcome: "refused"; reason: "gone" | "taken" | "own_listing" };

/**
 * A buyer asks for a listing: it is theirs if nobody else holds it; an order of theirs already
 * holding it is answered again (a double click); an abandoned order's hold is taken over.
 */
export function decideBuy(l: ListingState, buyerId: string, now: number): BuyDecision {
  if (l.status !== "listed") return { outcome: "refused", reason: "gone" };
  if (l.sellerId === buyerId) return { outcome: "refused", reason: "own_listing" };
  if (isReserved(l, now)) return l.reservedBy === buyerId && l.orderId ? { outcome: "mine", orderId: l.orderId } : { outcome: "refused", reason: "taken" };
  return { outcome: "reserve", abandonedOrderId: l.orderId };
}

export type WithdrawDecision = { outcome: "withdraw"; abandonedOrderId: string | null } | { outcome: "refused"; reason: "not_listed" | "reserved" };

/** The seller takes a listing back, unless a buyer is paying for it right now. */
export function decideWithdraw(l: ListingState | undefined, now: number): WithdrawDecision {
  if (l?.status !== "listed") return { outcome: "refused", reason: "not_listed" };
  if (isReserved(l, now)) return { outcome: "refused", reason: "reserved" };
  return { outcome: "withdraw", abandonedOrderId: l.orderId };
}

export type ConfirmDecision = { outcome: "sell" } | { outcome: "already_sold" } | { outcome: "reject"; reason: string };

/**
 * The payment for a resale order was taken: the sale happens only if the listing is still this
 * order's (no time check here, as `ConfirmHold` has none: a window that ran out with nobody else
 * taking the listing was still this order's) and the ticket is still the one listed.
 */
export function decideConfirm(
  l: ListingState | undefined,
  orderId: string,
  ticket: { status: string; version: number; ownerId: string } | undefined,
  listed: { version: number; sellerId: string },
): ConfirmDecision {
  if (!l) return { outcome: "reject", reason: "resale_unknown" };
  if (l.orderId !== orderId) return { outcome: "reject", reason: "resale_taken" };
  if (l.status === "sold") return { outcome: "already_sold" };
  if (l.status !== "listed") return { outcome: "reject", reason: "resale_withdrawn" };
  if (ticket?.status !== "valid" || ticket.version !== listed.version || ticket.ownerId !== listed.sellerId) {
    return { outcome: "reject", reason: "resale_ticket_changed" };
  }
  return { outcome: "sell" };
}

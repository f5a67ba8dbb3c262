import { type Bus, publish } from "@rush/bus";
import { TicketEvent, ticketSubject } from "@rush/contracts";
import { normalizeAmount } from "../orders/money.ts";
import type { OrderRow } from "../orders/order-store.ts";
import type { ListingRow } from "./resale-store.ts";

/** `ticket.resold.<oldTicketId>` on TICKETS, once per listing (msg-id `<listingId>:resold`). */
export async function publishTicketResold(bus: Bus, listing: ListingRow, order: OrderRow): Promise<void> {
  const event: TicketEvent = {
    type: "TicketResold",
    listingId: listing.id,
    ticketId: listing.ticketId,
    newTicketId: listing.newTicketId!,
    sessionId: listing.sessionId,
    seatId: listing.seatId,
    sellerId: listing.sellerId,
    buyerId: order.buyerId,
    orderId: order.id,
    price: { amount: normalizeAmount(listing.amount), currency: listing.currency },
    at: (listing.soldAt ?? listing.updatedAt).getTime(),
  };
  await publish(bus, ticketSubject("resold", listing.ticketId), TicketEvent, event, { msgId: `${listing.id}:resold`, type: event.type });
}

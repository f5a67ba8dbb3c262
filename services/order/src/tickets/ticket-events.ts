import { type Bus, publish } from "@rush/bus";
import { TicketEvent, ticketSubject } from "@rush/contracts";
import type { TicketRow } from "./ticket-store.ts";

/**
 * Tells the streams that `ticket` now belongs to its new owner (`ticket.transferred.<id>`,
 * msg-id `<id>:<version>`: a retried request publishes it once). The mail worker tells the
 * new owner.
 */
export async function publishTicketTransferred(bus: Bus, ticket: TicketRow, fromUserId: string, at: number): Promise<void> {
  const event: TicketEvent = {
    type: "TicketTransferred",
    ticketId: ticket.id,
    sessionId: ticket.sessionId,
    seatId: ticket.seatId,
    version: ticket.version,
    fromUserId,
    toUserId: ticket.ownerId,
    at,
  };
  await publish(bus, ticketSubject("transferred", ticket.id), TicketEvent, event, { msgId: `${ticket.id}:${ticket.version}`, type: event.type });
}

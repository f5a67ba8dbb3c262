import { type Bus, headersFor } from "@rush/bus";
import { STREAMS, type TicketEvent, ticketSubject } from "@rush/contracts";
import type { TicketRow } from "./ticket-store.ts";

const encoder = new TextEncoder();

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
  await bus.js.publish(ticketSubject("transferred", ticket.id), encoder.encode(JSON.stringify(event)), {
    msgID: `${ticket.id}:${ticket.version}`,
    headers: headersFor(undefined, event.type),
    expect: { streamName: STREAMS.tickets },
  });
}

import { PermanentFailure } from "@rush/bus";
import type { OrderEvent, TicketEvent, UserEvent } from "@rush/contracts";
import { type TicketSigner, ticketQr } from "@rush/service";
import type { MailOutcome, Deliver } from "./mailer.ts";
import type { Lookups, MailTicket, Recipient, SessionFacts } from "./lookups.ts";
import { orderConfirmation, orderRefunded, passwordReset, ticketResold, ticketTransferred, verifyEmail } from "./templates/index.ts";

export interface HandlerDeps {
  lookups: Lookups;
  deliver: Deliver;
  signer: TicketSigner;
  qrGraceMs: number;
  appUrl: string;
  clock: () => number;
  onSkipped?: (template: string, outcome: MailOutcome) => void;
}

/** A row the event names is missing: it never will be there, so the event is parked, not retried forever. */
const missing = (what: string) => new PermanentFailure(`${what} does not exist`);

async function recipientAndSession(lookups: Lookups, userId: string, sessionId: string): Promise<[Recipient, SessionFacts]> {
  const [user, session] = await Promise.all([lookups.user(userId), lookups.session(sessionId)]);
  if (!user) throw missing(`user ${userId}`);
  if (!session) throw missing(`session ${sessionId}`);
  return [user, session];
}

/**
 * The ORDERS stream's e-mails, by status: `completed` sends the tickets, `refunded` the refund
 * notice. Every other status mails nothing. A new one (a waiting-list offer, a cancelled
 * session) is a template in `templates/` and a case here.
 */
export function orderMails(deps: HandlerDeps) {
  const qrOf = (t: MailTicket, endsAt: Date) => ticketQr(deps.signer, { ...t, sessionEndsAt: endsAt }, deps.qrGraceMs);
  return async (event: OrderEvent): Promise<void> => {
    // Other ORDERS events (a cancelled session, from the refunds work) mail each buyer through their order's `refunded`.
    if (event.type !== "OrderStatusChanged") return;
    switch (event.status) {
      case "completed": {
        const [to, session] = await recipientAndSession(deps.lookups, event.buyerId, event.sessionId);
        const tickets = await deps.lookups.orderTickets(event.orderId);
        // Issued in the same transaction that completes the order; none means the event outran a replica: retry.
        if (tickets.length === 0) throw new Error(`order ${event.orderId} has no tickets yet`);
        const message = orderConfirmation({
          to: to.email,
          name: to.name,
          ...session,
          appUrl: deps.appUrl,
          orderId: event.orderId,
          total: event.total,
          tickets: tickets.map((t) => ({ id: t.id, seatId: t.seatId, qr: qrOf(t, session.endsAt) })),
        });
        return deps.deliver(`order-confirmation:${event.orderId}`, "order-confirmation", message);
      }
      case "refunded": {
        const [to, session] = await recipientAndSession(deps.lookups, event.buyerId, event.sessionId);
        const message = orderRefunded({ to: to.email, name: to.name, ...session, appUrl: deps.appUrl, orderId: event.orderId, total: event.total });
        return deps.deliver(`order-refunded:${event.orderId}`, "order-refunded", message);
      }
      case "created":
      case "payment_pending":
      case "expired":
      case "failed":
      case "refund_pending":
      case "refund_failed":
        return;
      default: {
        const unreachable: never = event.status;
        throw new PermanentFailure(`unknown order status ${String(unreachable)}`);
      }
    }
  };
}

/** The USERS stream: verification and password-reset links. An expired token is not worth a message. */
export function accountMails(deps: HandlerDeps) {
  return async (event: UserEvent): Promise<void> => {
    const template = event.type === "EmailVerificationRequested" ? "verify-email" : "password-reset";
    if (event.expiresAt <= deps.clock()) return deps.onSkipped?.(template, "skipped");
    const data = { to: event.email, name: event.displayName, token: event.token, expiresAt: new Date(event.expiresAt), appUrl: deps.appUrl };
    switch (event.type) {
      case "EmailVerificationRequested":
        return deps.deliver(`${template}:${event.eventId}`, template, verifyEmail(data));
      case "PasswordResetRequested":
        return deps.deliver(`${template}:${event.eventId}`, template, passwordReset(data));
      default: {
        const unreachable: never = event;
        throw new PermanentFailure(`unknown user event ${JSON.stringify(unreachable)}`);
      }
    }
  };
}

/** The TICKETS stream: the new owner of a transferred ticket gets its new QR code. */
export function ticketMails(deps: HandlerDeps) {
  return async (event: TicketEvent): Promise<void> => {
    // A resale's buyer is mailed through their order's `completed`; this consumer reads transfers only.
    if (event.type !== "TicketTransferred") return;
    const template = "ticket-transferred";
    const ticket = await deps.lookups.ticket(event.ticketId);
    if (!ticket) throw missing(`ticket ${event.ticketId}`);
    // Passed on again (or voided) since: this owner's QR no longer opens the door, so no mail about it.
    if (ticket.version !== event.version || ticket.ownerId !== event.toUserId || ticket.status !== "valid") return deps.onSkipped?.(template, "skipped");
    const [to, session] = await recipientAndSession(deps.lookups, event.toUserId, event.sessionId);
    const from = await deps.lookups.user(event.fromUserId);
    const message = ticketTransferred({
      to: to.email,
      name: to.name,
      ...session,
      appUrl: deps.appUrl,
      fromName: from?.name ?? "Someone",
      ticket: { id: ticket.id, seatId: ticket.seatId, qr: ticketQr(deps.signer, { ...ticket, sessionEndsAt: session.endsAt }, deps.qrGraceMs) },
    });
    return deps.deliver(`${template}:${event.ticketId}:${event.version}`, template, message);
  };
}

/** TICKETS `ticket.resold.*`: the seller is told their ticket was bought and the face value is on its way back. */
export function resaleMails(deps: HandlerDeps) {
  return async (event: TicketEvent): Promise<void> => {
    // The buyer is mailed through their order's `completed`; this consumer reads resales only.
    if (event.type !== "TicketResold") return;
    const [to, session] = await recipientAndSession(deps.lookups, event.sellerId, event.sessionId);
    const message = ticketResold({ to: to.email, name: to.name, ...session, appUrl: deps.appUrl, seatId: event.seatId, price: event.price });
    return deps.deliver(`ticket-resold:${event.listingId}`, "ticket-resold", message);
  };
}

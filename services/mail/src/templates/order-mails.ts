import { button, layout } from "./layout.ts";
import { html, safeHref } from "./html.ts";
import { type MailMessage, formatMoney, formatWhen, oneLine } from "./message.ts";

/** Who gets it, and which session the tickets are for. */
export interface SessionMailData {
  to: string;
  name: string;
  eventName: string;
  venueName: string;
  startsAt: Date;
  appUrl: string;
}

export interface TicketMailData {
  id: string;
  seatId: string;
  /** The signed QR payload (`RT2.…`), the same one the app's ticket list shows. */
  qr: string;
}

export interface OrderConfirmationData extends SessionMailData {
  orderId: string;
  total: { amount: string; currency: string };
  tickets: TicketMailData[];
}

export const qrCid = (ticketId: string): string => `ticket-${ticketId}@rush`;

/** A ticket block: the seat, its QR inline, and the payload in text for a scanner that types it. */
const ticketBlock = (t: TicketMailData) =>
  html`<div style="border:1px solid #e2e2ea;border-radius:6px;padding:12px;margin:12px 0;text-align:center">
<p style="margin:0 0 8px;font-weight:600">Seat ${t.seatId}</p>
<img src="cid:${qrCid(t.id)}" alt="QR code of the ticket for seat ${t.seatId}" width="220" height="220" style="display:block;margin:0 auto">
<p style="margin:8px 0 0;font-size:11px;color:#6b6b7b;word-break:break-all">${t.qr}</p>
</div>`;

/** Order completed: the tickets, each with the QR code the door scans. */
export function orderConfirmation(d: OrderConfirmationData): MailMessage {
  const tickets = safeHref(new URL("/tickets", d.appUrl).toString());
  const when = formatWhen(d.startsAt);
  const seats = d.tickets.map((t) => t.seatId).join(", ");
  const subject = oneLine(`Your tickets for ${d.eventName}`);
  const text = [
    `Hello ${d.name},`,
    "",
    `Thank you for your order ${d.orderId}: ${formatMoney(d.total)}.`,
    `${d.eventName} — ${d.venueName}, ${when}.`,
    `Seats: ${seats}.`,
    "",
    "Show the QR code of each ticket at the door (the HTML version of this e-mail has them as images).",
    ...d.tickets.map((t) => `Seat ${t.seatId}: ${t.qr}`),
    "",
    `Your tickets are also in the app: ${tickets}`,
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Your tickets for ${d.eventName}</h1>
<p>Hello ${d.name}, thank you for your order <strong>${d.orderId}</strong> (${formatMoney(d.total)}).</p>
<p><strong>${d.eventName}</strong><br>${d.venueName}, ${when}</p>
<p>Show each ticket's QR code at the door.</p>
${d.tickets.map(ticketBlock)}
${button(tickets, "Open my tickets")}`;
  return { to: d.to, subject, text, html: layout(subject, body), images: d.tickets.map((t) => ({ cid: qrCid(t.id), payload: t.qr })) };
}

export interface OrderRefundedData extends SessionMailData {
  orderId: string;
  total: { amount: string; currency: string };
}

/** The money went back: the order is refunded, and its tickets (if any) no longer scan. */
export function orderRefunded(d: OrderRefundedData): MailMessage {
  const orders = safeHref(new URL("/orders", d.appUrl).toString());
  const when = formatWhen(d.startsAt);
  const subject = oneLine(`Refund issued: ${d.eventName}`);
  const text = [
    `Hello ${d.name},`,
    "",
    `Your order ${d.orderId} for ${d.eventName} (${d.venueName}, ${when}) was refunded: ${formatMoney(d.total)} go back to how you paid.`,
    "Tickets of this order no longer open the door.",
    "",
    `Your orders: ${orders}`,
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Refund issued</h1>
<p>Hello ${d.name}, your order <strong>${d.orderId}</strong> for <strong>${d.eventName}</strong> (${d.venueName}, ${when}) was refunded:
<strong>${formatMoney(d.total)}</strong> go back to how you paid.</p>
<p>Tickets of this order no longer open the door.</p>
${button(orders, "My orders")}`;
  return { to: d.to, subject, text, html: layout(subject, body), images: [] };
}

export interface TicketTransferredData extends SessionMailData {
  fromName: string;
  ticket: TicketMailData;
}

/** Someone gave the recipient a ticket: the new QR code (the giver's old one stopped working). */
export function ticketTransferred(d: TicketTransferredData): MailMessage {
  const tickets = safeHref(new URL("/tickets", d.appUrl).toString());
  const when = formatWhen(d.startsAt);
  const subject = oneLine(`${d.fromName} sent you a ticket for ${d.eventName}`);
  const text = [
    `Hello ${d.name},`,
    "",
    `${d.fromName} transferred a ticket to you: ${d.eventName}, ${d.venueName}, ${when}, seat ${d.ticket.seatId}.`,
    `Show this QR code at the door: ${d.ticket.qr}`,
    "",
    `Your tickets: ${tickets}`,
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">A ticket for you</h1>
<p>Hello ${d.name}, <strong>${d.fromName}</strong> transferred a ticket to you.</p>
<p><strong>${d.eventName}</strong><br>${d.venueName}, ${when}</p>
${ticketBlock(d.ticket)}
${button(tickets, "Open my tickets")}`;
  return { to: d.to, subject, text, html: layout(subject, body), images: [{ cid: qrCid(d.ticket.id), payload: d.ticket.qr }] };
}

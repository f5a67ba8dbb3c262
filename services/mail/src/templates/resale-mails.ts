import { html, safeHref } from "./html.ts";
import { button, layout } from "./layout.ts";
import { formatMoney, formatWhen, type MailMessage, oneLine } from "./message.ts";
import type { SessionMailData } from "./order-mails.ts";

export interface TicketResoldData extends SessionMailData {
  seatId: string;
  price: { amount: string; currency: string };
}

/** The seller's ticket was bought on resale: its QR no longer opens the door, the face value goes back to their card. */
export function ticketResold(d: TicketResoldData): MailMessage {
  const tickets = safeHref(new URL("/tickets", d.appUrl).toString());
  const when = formatWhen(d.startsAt);
  const subject = oneLine(`Your ticket for ${d.eventName} was resold`);
  const text = [
    `Hello ${d.name},`,
    "",
    `Your ticket for ${d.eventName} (${d.venueName}, ${when}), seat ${d.seatId}, was bought on resale.`,
    `${formatMoney(d.price)} go back to how you paid. Its QR code no longer opens the door.`,
    "",
    `Your tickets: ${tickets}`,
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Your ticket was resold</h1>
<p>Hello ${d.name}, your ticket for seat <strong>${d.seatId}</strong> was bought on resale.</p>
<p><strong>${d.eventName}</strong><br>${d.venueName}, ${when}</p>
<p><strong>${formatMoney(d.price)}</strong> go back to how you paid. Its QR code no longer opens the door.</p>
${button(tickets, "My tickets")}`;
  return { to: d.to, subject, text, html: layout(subject, body), images: [] };
}

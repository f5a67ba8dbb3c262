import { button, layout } from "./layout.ts";
import { html, safeHref } from "./html.ts";
import { type MailMessage, formatWhen, oneLine } from "./message.ts";
import type { SessionMailData } from "./order-mails.ts";

export interface WaitlistOfferData extends SessionMailData {
  sessionId: string;
  orderId: string;
  seatIds: string[];
  /** When the seats go to the next buyer on the list. */
  expiresAt: Date;
}

/** Seats came back and are held for a waiting-list buyer: pay before `expiresAt` or they pass on. */
export function waitlistOffer(d: WaitlistOfferData): MailMessage {
  const page = safeHref(new URL(`/sessions/${d.sessionId}`, d.appUrl).toString());
  const when = formatWhen(d.startsAt);
  const until = formatWhen(d.expiresAt);
  const seats = d.seatIds.join(", ");
  const subject = oneLine(`Seats are waiting for you: ${d.eventName}`);
  const text = [
    `Hello ${d.name},`,
    "",
    `Seats came back for ${d.eventName} (${d.venueName}, ${when}) and you were next on the waiting list.`,
    `They are held for you until ${until}: ${seats}.`,
    `Pay order ${d.orderId} before then, or they go to the next buyer on the list.`,
    "",
    `Pay now: ${page}`,
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Seats are waiting for you</h1>
<p>Hello ${d.name}, seats came back for <strong>${d.eventName}</strong> (${d.venueName}, ${when}) and you were next on the waiting list.</p>
<p>Held for you until <strong>${until}</strong>: ${seats}.</p>
<p>Pay before then, or they go to the next buyer on the list.</p>
${button(page, "Pay for the seats")}`;
  return { to: d.to, subject, text, html: layout(subject, body), images: [] };
}

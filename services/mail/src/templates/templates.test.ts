import { describe, expect, it } from "vitest";
import { escapeHtml, html, safeHref } from "./html.ts";
import { orderConfirmation, orderRefunded, passwordReset, qrCid, ticketResold, ticketTransferred, verifyEmail, waitlistOffer } from "./index.ts";

const session = {
  to: "buyer@example.com",
  name: `Eve <script>alert("x")</script>`,
  eventName: `Rock & "Roll" <b>Night</b>`,
  venueName: "Arena's Hall",
  startsAt: new Date("2026-12-05T20:00:00Z"),
  appUrl: "http://127.0.0.1:8080",
};
const tickets = [
  { id: "11111111-1111-4111-8111-111111111111", seatId: "A-1-1", qr: "RT2.payload-one.signature" },
  { id: "22222222-2222-4222-8222-222222222222", seatId: "A-1-2", qr: "RT2.payload-two.signature" },
];

describe("mail templates", () => {
  it("mail templates: escape every value in HTML, so names and event titles never become markup", () => {
    const mail = orderConfirmation({ ...session, orderId: "o-1", total: { amount: "90.00", currency: "EUR" }, tickets });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>Night</b>");
    expect(mail.html).toContain("Eve &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(mail.html).toContain("Rock &amp; &quot;Roll&quot; &lt;b&gt;Night&lt;/b&gt;");
    expect(mail.html).toContain("Arena&#39;s Hall");
    // The text part is plain text: shown as written, not escaped.
    expect(mail.text).toContain(`Hello Eve <script>alert("x")</script>,`);
    expect(mail.subject).toBe(`Your tickets for Rock & "Roll" <b>Night</b>`);
  });

  it("mail templates: the confirmation shows every ticket's QR inline, carrying the payload the door scans", () => {
    const mail = orderConfirmation({ ...session, orderId: "o-1", total: { amount: "90.00", currency: "EUR" }, tickets });
    expect(mail.images).toEqual(tickets.map((t) => ({ cid: qrCid(t.id), payload: t.qr })));
    for (const t of tickets) {
      expect(mail.html).toContain(`<img src="cid:${qrCid(t.id)}"`);
      expect(mail.text).toContain(`Seat ${t.seatId}: ${t.qr}`);
    }
    expect(mail.text).toContain("90.00 EUR");
    expect(mail.text).toContain("Sat, 5 Dec 2026, 20:00 UTC");
  });

  it("mail templates: a transfer carries the new QR; a refund carries none", () => {
    const transfer = ticketTransferred({ ...session, fromName: "Bob", ticket: tickets[0]! });
    expect(transfer.images).toEqual([{ cid: qrCid(tickets[0]!.id), payload: tickets[0]!.qr }]);
    expect(transfer.html).toContain(`cid:${qrCid(tickets[0]!.id)}`);
    const refund = orderRefunded({ ...session, orderId: "o-2", total: { amount: "45.00", currency: "EUR" } });
    expect(refund.images).toEqual([]);
    expect(refund.text).toContain("45.00 EUR");
  });

  it("mail templates: account links carry the token in the fragment, encoded, on the app's origin", () => {
    const token = "abc+/=def_ghi-jklmnopqrst";
    const expiresAt = new Date("2026-12-02T12:00:00Z");
    const verify = verifyEmail({ to: "a@example.com", name: "A", token, expiresAt, appUrl: session.appUrl });
    const link = `http://127.0.0.1:8080/verify-email#token=${encodeURIComponent(token).replaceAll("%20", "+")}`;
    expect(verify.text).toContain(link);
    expect(verify.html).toContain(`href="${escapeHtml(link)}"`);
    const reset = passwordReset({ to: "a@example.com", name: "A", token, expiresAt, appUrl: session.appUrl });
    expect(reset.text).toContain("http://127.0.0.1:8080/reset-password#token=");
    expect(reset.subject).toBe("Reset your password");
  });

  it("mail templates: a subject stays one header line whatever the data holds", () => {
    const mail = orderRefunded({ ...session, eventName: "Gala\r\nBcc: victim@example.com", orderId: "o", total: { amount: "1.00", currency: "EUR" } });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it("mail templates: html`` keeps SafeHtml and arrays as markup, and refuses non-web links", () => {
    expect(html`<p>${html`<b>${"<i>"}</b>`}${[html`<br>`, "&"]}</p>`.value).toBe("<p><b>&lt;i&gt;</b><br>&amp;</p>");
    expect(() => safeHref("javascript:alert(1)")).toThrow(RangeError);
  });

  it("mail templates: a waiting-list offer names the seats, the deadline and where to pay, escaped", () => {
    const sessionId = "33333333-3333-4333-8333-333333333333";
    const mail = waitlistOffer({ ...session, sessionId, orderId: "o-2", seatIds: ["A-1-1", "A-1-2"], expiresAt: new Date("2026-12-05T18:05:00Z") });
    expect(mail.subject).toBe(`Seats are waiting for you: Rock & "Roll" <b>Night</b>`);
    expect(mail.text).toContain("A-1-1, A-1-2");
    expect(mail.text).toContain("Sat, 5 Dec 2026, 18:05 UTC");
    expect(mail.html).toContain(`href="http://127.0.0.1:8080/sessions/${sessionId}"`);
    expect(mail.html).not.toContain("<script>");
  });

  it("mail templates: a resold ticket tells its seller the face value goes back and the old QR no longer opens the door", () => {
    const mail = ticketResold({ ...session, seatId: "A-1-7", price: { amount: "45.00", currency: "EUR" } });
    expect(mail.subject).toBe(`Your ticket for Rock & "Roll" <b>Night</b> was resold`);
    expect(mail.text).toContain("seat A-1-7, was bought on resale");
    expect(mail.text).toContain("45.00 EUR go back to how you paid");
    expect(mail.html).not.toContain("<script>");
    expect(mail.images).toEqual([]);
  });
});

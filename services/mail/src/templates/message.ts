/** A QR code shown inline in the HTML (`<img src="cid:<cid>">`): its payload is what the door scans. */
export interface InlineQr {
  cid: string;
  payload: string;
}

/** One rendered e-mail: both bodies, and the QR images the HTML refers to. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  images: InlineQr[];
}

/** Subjects are one header line: whatever the data holds, no line break reaches the header. */
export const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, " ").trim().slice(0, 200);

/** Dates as a buyer reads them, the same on every machine (UTC, not the server's zone). */
export const formatWhen = (at: Date): string =>
  `${new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(at)} UTC`;

/** Money as the API writes it (`45.00 EUR`). */
export const formatMoney = (money: { amount: string; currency: string }): string => `${money.amount} ${money.currency}`;

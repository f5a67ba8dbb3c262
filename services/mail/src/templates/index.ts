export { type AccountMailData, passwordReset, verifyEmail } from "./account-mails.ts";
export type { InlineQr, MailMessage } from "./message.ts";
export {
  type OrderConfirmationData,
  type OrderRefundedData,
  type TicketTransferredData,
  orderConfirmation,
  orderRefunded,
  qrCid,
  ticketTransferred,
} from "./order-mails.ts";
export { type TicketResoldData, ticketResold } from "./resale-mails.ts";
export { type WaitlistOfferData, waitlistOffer } from "./waitlist-mails.ts";

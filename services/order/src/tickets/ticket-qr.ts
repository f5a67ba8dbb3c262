// The signer lives in @rush/service: the mail worker signs the same QR codes for its e-mails.
export {
  DEV_TICKET_SEED,
  type TicketClaims,
  type TicketKey,
  type TicketSigner,
  createTicketSigner,
  keyIdOf,
  publicKeyOf,
  ticketQr,
  verifyTicketQr,
} from "@rush/service";

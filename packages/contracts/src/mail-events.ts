import { z } from "zod";
import { TicketResold } from "./resale-events.ts";

/**
 * Account e-mails the catalog asks for on `user.<kind>.<userId>` (stream USERS). They carry the
 * one-time token itself, because only the mail worker puts it in a link: the stream keeps them
 * two days (past every token's expiry), the catalog stores only the token's hash, and a token
 * is good once, so a replay of the stream opens nothing.
 */
const AccountMail = z.object({
  /** Dedupe key of the e-mail: one event id, at most one message. */
  eventId: z.uuid(),
  userId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  /** The opaque token the link carries (base64url). */
  token: z.string().min(20).max(200),
  /** Epoch ms after which the token is refused. */
  expiresAt: z.int(),
  at: z.int(),
});

/** A new account (or one that asked again) must prove its address: the link verifies it. */
export const EmailVerificationRequested = AccountMail.extend({ type: z.literal("EmailVerificationRequested") });
export type EmailVerificationRequested = z.infer<typeof EmailVerificationRequested>;

/** Someone asked to reset this account's password: the link sets a new one. */
export const PasswordResetRequested = AccountMail.extend({ type: z.literal("PasswordResetRequested") });
export type PasswordResetRequested = z.infer<typeof PasswordResetRequested>;

/** Every event on the USERS stream, discriminated on `type`. */
export const UserEvent = z.discriminatedUnion("type", [EmailVerificationRequested, PasswordResetRequested]);
export type UserEvent = z.infer<typeof UserEvent>;

/**
 * A ticket changed hands (`ticket.transferred.<ticketId>`, stream TICKETS, msg-id
 * `<ticketId>:<version>`): the new owner is told, with the new QR code.
 */
export const TicketTransferred = z.object({
  type: z.literal("TicketTransferred"),
  ticketId: z.uuid(),
  sessionId: z.uuid(),
  seatId: z.string(),
  /** The ticket's version after the transfer (what its new QR code signs). */
  version: z.int().positive(),
  fromUserId: z.uuid(),
  toUserId: z.uuid(),
  at: z.int(),
});
export type TicketTransferred = z.infer<typeof TicketTransferred>;

/** Every event on the TICKETS stream, discriminated on `type`. */
export const TicketEvent = z.discriminatedUnion("type", [TicketTransferred, TicketResold]);
export type TicketEvent = z.infer<typeof TicketEvent>;

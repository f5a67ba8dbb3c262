import { randomUUID } from "node:crypto";
import { type Bus, publish } from "@rush/bus";
import { UserEvent, userSubject } from "@rush/contracts";

/** Asks the mail worker for an account e-mail (verification, password reset). */
export type AccountMail = (event: UserEvent) => Promise<void>;

const SUBJECT_KIND = { EmailVerificationRequested: "verify-email", PasswordResetRequested: "password-reset" } as const;

/** Publishes on `user.<kind>.<userId>` (USERS), the event id as msg-id: a retried publish is stored once. */
export const accountMailOnBus =
  (bus: Bus): AccountMail =>
  async (event) => {
    await publish(bus, userSubject(SUBJECT_KIND[event.type], event.userId), UserEvent, event, { msgId: event.eventId, type: event.type });
  };

/** The event for `user`, with a fresh event id. */
export const accountMailEvent = (
  type: UserEvent["type"],
  user: { id: string; email: string; displayName: string },
  token: { token: string; expiresAt: number },
  at: number,
): UserEvent => ({ type, eventId: randomUUID(), userId: user.id, email: user.email, displayName: user.displayName, token: token.token, expiresAt: token.expiresAt, at });

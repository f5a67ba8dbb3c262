import { PermanentFailure } from "@rush/bus";
import type { Deliveries } from "./deliveries.ts";
import type { MailMessage } from "./templates/index.ts";
import type { MailTransport } from "./transport.ts";

/** What became of one e-mail (a metric label). */
export type MailOutcome = "sent" | "duplicate" | "failed" | "skipped";

/** Sends an e-mail at most once per key; throws to have the event retried (or parked). */
export type Deliver = (key: string, template: string, message: MailMessage) => Promise<void>;

/** Another worker holds the claim and may still be sending: retried later, never sent alongside it. */
export class MailBusy extends Error {
  readonly code = "MAIL_BUSY";
}

/** An SMTP answer in the 5xx range refuses the message for good (no such mailbox, rejected content). */
const refusedForGood = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
};

/**
 * Claim, send, record: the claim (see `Deliveries`) makes a redelivered or replayed event a
 * no-op once its e-mail went out. A send that fails gives the claim back and throws, so the
 * consumer retries it with backoff; a 5xx refusal is permanent and the event is parked.
 */
export function createMailer(options: { deliveries: Deliveries; transport: MailTransport; onOutcome?: (template: string, outcome: MailOutcome) => void }): Deliver {
  const { deliveries, transport } = options;
  const report = options.onOutcome ?? (() => {});
  return async (key, template, message) => {
    const claim = await deliveries.claim(key, template, message.to);
    if (claim === "done") return report(template, "duplicate");
    if (claim === "busy") throw new MailBusy(`${key} is being sent by another worker`);
    let sent: { messageId: string };
    try {
      sent = await transport.send(message, { key, template });
    } catch (error) {
      report(template, "failed");
      await deliveries.release(key);
      if (refusedForGood(error)) throw new PermanentFailure(`the mail server refused ${key}`, { cause: error });
      throw error;
    }
    await deliveries.sent(key, sent.messageId);
    report(template, "sent");
  };
}

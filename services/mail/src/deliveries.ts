import { type Database, mailDeliveries } from "@rush/db";
import { and, eq } from "drizzle-orm";

/** What a claim found: ours to send, already sent (or taken as sent), or being sent by another worker right now. */
export type Claim = "claimed" | "done" | "busy";

/** The at-most-once ledger: one row per e-mail, keyed by the event it answers. */
export interface Deliveries {
  claim(key: string, template: string, recipient: string): Promise<Claim>;
  /** The send succeeded: the row stays, so a redelivery or a replay finds it. */
  sent(key: string, messageId: string): Promise<void>;
  /** The send failed for sure (the server refused or was unreachable): the retry may claim again. */
  release(key: string): Promise<void>;
}

/**
 * Postgres rows in `mail_deliveries`. The claim is an INSERT … ON CONFLICT DO NOTHING, so two
 * workers handed the same event at once (a redelivery after an ack timeout) cannot both send.
 * A `sending` row older than `staleMs` belonged to a worker that died mid-send: the server may
 * have taken the message, so it counts as sent (at most once, never twice).
 */
export function createDeliveries(db: Database, options: { staleMs: number; clock?: () => number }): Deliveries {
  const clock = options.clock ?? Date.now;
  return {
    async claim(key, template, recipient) {
      const inserted = await db
        .insert(mailDeliveries)
        .values({ key, template, recipient, status: "sending", claimedAt: new Date(clock()) })
        .onConflictDoNothing()
        .returning({ key: mailDeliveries.key });
      if (inserted.length > 0) return "claimed";
      const [row] = await db.select({ status: mailDeliveries.status, claimedAt: mailDeliveries.claimedAt }).from(mailDeliveries).where(eq(mailDeliveries.key, key));
      // Released between our insert and this read: the redelivery will claim it.
      if (!row) return "busy";
      if (row.status === "sent") return "done";
      return clock() - row.claimedAt.getTime() > options.staleMs ? "done" : "busy";
    },
    async sent(key, messageId) {
      await db.update(mailDeliveries).set({ status: "sent", messageId, sentAt: new Date(clock()) }).where(eq(mailDeliveries.key, key));
    },
    async release(key) {
      await db.delete(mailDeliveries).where(and(eq(mailDeliveries.key, key), eq(mailDeliveries.status, "sending")));
    },
  };
}

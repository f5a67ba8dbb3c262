import { bigserial, index, jsonb, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orders } from "./orders.ts";

export const PAYMENT_STATUSES = ["created", "pending", "succeeded", "failed", "refund_pending", "refund_failed", "refunded"] as const;

export const payments = pgTable(
  "payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** One payment per order: a second pay is a conflict, never a second charge. */
    orderId: uuid()
      .notNull()
      .unique()
      .references(() => orders.id),
    provider: text({ enum: ["mock", "stripe"] }).notNull(),
    /** The provider's own id (e.g. a Stripe PaymentIntent id). */
    providerRef: text().unique(),
    status: text({ enum: PAYMENT_STATUSES }).notNull().default("created"),
    amount: numeric({ precision: 12, scale: 2 }).notNull(),
    currency: text().notNull(),
    idempotencyKey: text().notNull().unique(),
    /** Why it failed or was refunded (`declined`, `hold_expired`, …). */
    reason: text(),
    /** The provider's last refusal of this payment's refund (status `refund_failed`); cleared when it is refunded. */
    lastError: text(),
    /** When the seat engine answered the confirm (sold or rejected): until then a captured payment is unsettled. */
    settledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("payments_unsettled_idx").on(t.status, t.updatedAt)],
);

/** Every state change of a payment, append-only: the audit trail of money. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    status: text({ enum: PAYMENT_STATUSES }).notNull(),
    detail: jsonb(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("payment_events_payment_idx").on(t.paymentId, t.id)],
);

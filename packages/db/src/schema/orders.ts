import { sql } from "drizzle-orm";
import { check, index, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sessions } from "./catalog.ts";
import { users } from "./users.ts";

export const ORDER_STATUSES = ["created", "payment_pending", "completed", "expired", "failed", "refund_pending", "refund_failed", "refunded"] as const;

/** `sale`: seats from the seat engine; `resale`: one listed ticket bought from its holder (no engine hold). */
export const ORDER_KINDS = ["sale", "resale"] as const;

export const orders = pgTable(
  "orders",
  {
    /** Derived from the hold id, so the gate can answer it before the order service has run. */
    id: uuid().primaryKey(),
    /** One order per hold: a redelivered `seat.locked` never creates a second. */
    holdId: uuid().notNull().unique(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id),
    buyerId: uuid()
      .notNull()
      .references(() => users.id),
    status: text({ enum: ORDER_STATUSES }).notNull().default("created"),
    kind: text({ enum: ORDER_KINDS }).notNull().default("sale"),
    totalAmount: numeric({ precision: 12, scale: 2 }).notNull(),
    currency: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Why it is being (or was) refunded, or why its refund is held up: shown to buyer and organizer. */
    reason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("orders_buyer_idx").on(t.buyerId, t.createdAt),
    // A cancellation finds a session's completed orders.
    index("orders_session_status_idx").on(t.sessionId, t.status),
    // The resale sweep finds abandoned resale orders without reading the sale's orders.
    index("orders_resale_open_idx").on(t.expiresAt).where(sql`${t.kind} = 'resale' and ${t.status} = 'created'`),
    check("orders_total_non_negative", sql`${t.totalAmount} >= 0`),
  ],
);

export const orderItems = pgTable(
  "order_items",
  {
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    seatId: text().notNull(),
    amount: numeric({ precision: 12, scale: 2 }).notNull(),
    currency: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.seatId] })],
);

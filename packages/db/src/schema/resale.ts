import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { orders } from "./orders.ts";
import { tickets } from "./tickets.ts";
import { users } from "./users.ts";

export const LISTING_STATUSES = ["listed", "sold", "withdrawn"] as const;
export const PAYOUT_STATUSES = ["pending", "failed", "refunded"] as const;

/**
 * A ticket offered for resale at its face value. `listed` while on offer; a buyer's order
 * reserves it (`order_id`, `reserved_until`) without changing the status, so an abandoned order
 * frees it by time alone. `sold` once the buyer paid: the seller's payout (a partial refund of
 * the payment that bought the ticket) is then a small saga of its own on this row.
 */
export const resaleListings = pgTable(
  "resale_listings",
  {
    id: uuid().primaryKey().defaultRandom(),
    ticketId: uuid()
      .notNull()
      .references(() => tickets.id),
    /** The ticket's version when listed: a re-issued ticket is another offer. */
    ticketVersion: integer().notNull(),
    sellerId: uuid()
      .notNull()
      .references(() => users.id),
    /** The order that paid for the ticket: the seller's money goes back to its payment. */
    sellerOrderId: uuid()
      .notNull()
      .references(() => orders.id),
    sessionId: uuid().notNull(),
    seatId: text().notNull(),
    /** The face value: what the seller paid for this seat, never more. */
    amount: numeric({ precision: 12, scale: 2 }).notNull(),
    currency: text().notNull(),
    status: text({ enum: LISTING_STATUSES }).notNull().default("listed"),
    /** The buyer's resale order holding it (while `reserved_until` is ahead), or the one that bought it. */
    orderId: uuid().references(() => orders.id),
    reservedUntil: timestamp({ withTimezone: true }),
    /** The ticket issued to the buyer. */
    newTicketId: uuid(),
    payoutStatus: text({ enum: PAYOUT_STATUSES }),
    /** The provider's last refusal of the payout; cleared once it is refunded. */
    payoutError: text(),
    soldAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live offer per ticket: a double listing is refused by the database too.
    uniqueIndex("resale_listings_live_ticket_key").on(t.ticketId).where(sql`${t.status} = 'listed'`),
    index("resale_listings_session_idx").on(t.sessionId, t.status),
    index("resale_listings_payout_idx").on(t.payoutStatus, t.updatedAt),
    index("resale_listings_seller_order_idx").on(t.sellerOrderId),
    check("resale_listings_amount_non_negative", sql`${t.amount} >= 0`),
  ],
);

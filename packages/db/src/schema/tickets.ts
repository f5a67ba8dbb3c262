import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sessions } from "./catalog.ts";
import { orders } from "./orders.ts";
import { users } from "./users.ts";

export const tickets = pgTable(
  "tickets",
  {
    id: uuid().primaryKey().defaultRandom(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id),
    seatId: text().notNull(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id),
    status: text({ enum: ["valid", "used", "void"] }).notNull().default("valid"),
    /** Why a void ticket is void: `refunded` (also when null, as before resale) or `resold`. */
    voidReason: text({ enum: ["refunded", "resold"] }),
    /** Bumped on transfer: the QR signs it, so an older QR stops verifying. */
    version: integer().notNull().default(1),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp({ withTimezone: true }),
    /** The staff member whose scan checked it in. */
    checkedInBy: uuid(),
  },
  (t) => [
    // The last line of defence against a double sale, whatever happened upstream. A refunded
    // order's void tickets step aside: its seats are on sale again.
    uniqueIndex("tickets_session_seat_key").on(t.sessionId, t.seatId).where(sql`${t.status} <> 'void'`),
    index("tickets_owner_idx").on(t.ownerId),
    // An order's tickets (the confirmation e-mail, refunds, the repair pass): without it each was a scan of every ticket.
    index("tickets_order_idx").on(t.orderId),
  ],
);

import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users.ts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const venues = pgTable(
  "venues",
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    address: text().notNull(),
    /** The validated, expanded seat map (areas → rows → seats) as the API returns it. */
    seatMap: jsonb().notNull(),
    capacity: integer().notNull(),
    /** `[{id, name, seatCount}]` per area: lists and availability read this, not the whole seat map. */
    areas: jsonb().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("venues_owner_idx").on(t.ownerId), index("venues_created_idx").on(t.createdAt, t.id)],
);

export const events = pgTable(
  "events",
  {
    id: uuid().primaryKey().defaultRandom(),
    venueId: uuid()
      .notNull()
      .references(() => venues.id),
    organizerId: uuid()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    category: text().notNull(),
    tags: text().array().notNull().default(sql`ARRAY[]::text[]`),
    /** Weighted for ranking: name (A) above tags (B) above description (C). */
    search: tsvector().generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', immutable_array_to_string(tags, ' ')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')`,
    ),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("events_search_idx").using("gin", t.search),
    index("events_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    index("events_category_idx").on(t.category),
    index("events_organizer_idx").on(t.organizerId),
    // Keyset pagination of the unfiltered listing: newest first.
    index("events_created_idx").on(t.createdAt, t.id),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    saleStartsAt: timestamp({ withTimezone: true }).notNull(),
    saleEndsAt: timestamp({ withTimezone: true }).notNull(),
    holdTtlSeconds: integer().notNull().default(600),
    maxSeatsPerHold: integer().notNull().default(10),
    maxSeatsPerBuyer: integer().notNull().default(10),
    /** `{enabled, admitPerSecond}`; null when the session has no waiting room. */
    waitingRoom: jsonb(),
    status: text({ enum: ["draft", "publishing", "on_sale", "closed", "cancelled"] }).notNull().default("draft"),
    publishedAt: timestamp({ withTimezone: true }),
    /** Set with status `cancelled`: its paid orders are refunded and its tickets refused at the door. */
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid(),
    cancelReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sessions_event_idx").on(t.eventId),
    check("sessions_ends_after_start", sql`${t.endsAt} > ${t.startsAt}`),
    check("sessions_sale_window", sql`${t.saleEndsAt} > ${t.saleStartsAt}`),
  ],
);

export const priceCategories = pgTable(
  "price_categories",
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    name: text().notNull(),
    areaIds: text().array().notNull(),
    amount: numeric({ precision: 12, scale: 2 }).notNull(),
    currency: text().notNull(),
  },
  (t) => [index("price_categories_session_idx").on(t.sessionId), check("price_non_negative", sql`${t.amount} >= 0`)],
);

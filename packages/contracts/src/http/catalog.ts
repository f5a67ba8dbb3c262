import { z } from "zod";
import { Money, PriceInput } from "../money.ts";
import { AreaId, RowLabel, SeatNumber } from "../seat-inventory.ts";

/**
 * Catalog endpoints (API.md § Catalog): venues with seat maps, events and their search,
 * sessions with sale windows and price categories, publishing, availability.
 */

/** Most seats one venue (and so one session) may have. */
export const MAX_VENUE_SEATS = 100_000;
const MAX_ROWS_PER_AREA = 2_000;
const MAX_SEATS_PER_ROW = 2_000;
const MAX_AREAS = 500;

/** ISO 8601 instant with an offset, e.g. `2030-06-01T19:30:00Z`. */
export const IsoInstant = z.iso.datetime({ offset: true });

const Name = z.string().trim().min(1).max(200);
const Coordinate = z.number().min(-1e6).max(1e6);

// ── Seat maps ────────────────────────────────────────────────────────────────

export const SeatInput = z.object({ number: SeatNumber, x: Coordinate.optional(), y: Coordinate.optional() });
export const RowInput = z.object({ label: RowLabel, seats: z.array(SeatInput).min(1).max(MAX_SEATS_PER_ROW) });

/** Where the seats of a `rowCount × seatsPerRow` area are drawn: rows run along `rotation` degrees. */
export const AreaLayout = z.object({
  x: Coordinate.default(0),
  y: Coordinate.default(0),
  rotation: z.number().min(-360).max(360).default(0),
  seatSpacing: z.number().positive().max(1000).default(1),
  rowSpacing: z.number().positive().max(1000).default(1),
});

/**
 * An area is given either seat by seat (`rows`) or, for large venues, as `rowCount × seatsPerRow`
 * (rows labelled 1…rowCount front to back, seats numbered 1…seatsPerRow), which is expanded.
 */
export const AreaInput = z
  .object({
    id: AreaId,
    name: Name,
    rows: z.array(RowInput).min(1).max(MAX_ROWS_PER_AREA).optional(),
    rowCount: z.int().min(1).max(MAX_ROWS_PER_AREA).optional(),
    seatsPerRow: z.int().min(1).max(MAX_SEATS_PER_ROW).optional(),
    layout: AreaLayout.optional(),
  })
  .superRefine((area, ctx) => {
    const generated = area.rowCount !== undefined || area.seatsPerRow !== undefined;
    if (area.rows !== undefined && generated) {
      ctx.addIssue({ code: "custom", path: ["rows"], message: "give either rows or rowCount × seatsPerRow, not both" });
    } else if (area.rows === undefined && (area.rowCount === undefined || area.seatsPerRow === undefined)) {
      ctx.addIssue({ code: "custom", path: area.rowCount === undefined ? ["rowCount"] : ["seatsPerRow"], message: "give rows, or both rowCount and seatsPerRow" });
    }
  });
export type AreaInput = z.infer<typeof AreaInput>;

const areaSeatCount = (area: AreaInput): number =>
  area.rows ? area.rows.reduce((n, row) => n + row.seats.length, 0) : (area.rowCount ?? 0) * (area.seatsPerRow ?? 0);

// Reports at most this many duplicates: a map with 100,000 repeated seats needs one line, not 100,000.
const MAX_ISSUES = 20;

/** A venue's seat map: area ids unique, row labels unique per area, seat numbers unique per row, ≤ 100,000 seats. */
export const SeatMapInput = z
  .object({ areas: z.array(AreaInput).min(1).max(MAX_AREAS) })
  .superRefine((map, ctx) => {
    let issues = 0;
    const report = (path: (string | number)[], message: string) => {
      if (issues++ < MAX_ISSUES) ctx.addIssue({ code: "custom", path, message });
    };
    const areaIds = new Set<string>();
    let total = 0;
    map.areas.forEach((area, a) => {
      if (areaIds.has(area.id)) report(["areas", a, "id"], `duplicate area id ${area.id}`);
      areaIds.add(area.id);
      total += areaSeatCount(area);
      const labels = new Set<string>();
      area.rows?.forEach((row, r) => {
        if (labels.has(row.label)) report(["areas", a, "rows", r, "label"], `duplicate row ${area.id}-${row.label}`);
        labels.add(row.label);
        const numbers = new Set<number>();
        row.seats.forEach((seat, s) => {
          if (numbers.has(seat.number)) {
            report(["areas", a, "rows", r, "seats", s, "number"], `duplicate seat id ${area.id}-${row.label}-${seat.number}`);
          }
          numbers.add(seat.number);
        });
      });
    });
    if (total > MAX_VENUE_SEATS) report(["areas"], `${total} seats: a venue has at most ${MAX_VENUE_SEATS}`);
  });
export type SeatMapInput = z.infer<typeof SeatMapInput>;

/** A seat as the catalog serves it: its id is `<areaId>-<rowLabel>-<number>`. */
export const SeatMapSeat = z.object({ id: z.string(), number: z.int(), x: z.number().optional(), y: z.number().optional() });
export const SeatRow = z.object({ label: z.string(), seats: z.array(SeatMapSeat) });
export const SeatMapArea = z.object({ id: z.string(), name: z.string(), seatCount: z.int(), rows: z.array(SeatRow) });
/** The expanded seat map: every seat listed, front row first. */
export const SeatMap = z.object({ areas: z.array(SeatMapArea) });
export type SeatMap = z.infer<typeof SeatMap>;
export type SeatMapArea = z.infer<typeof SeatMapArea>;

// ── Venues ───────────────────────────────────────────────────────────────────

export const CreateVenueRequest = z.object({ name: Name, address: z.string().trim().min(1).max(500), seatMap: SeatMapInput });
export type CreateVenueRequest = z.infer<typeof CreateVenueRequest>;

export const AreaSummary = z.object({ id: z.string(), name: z.string(), seatCount: z.int() });
export type AreaSummary = z.infer<typeof AreaSummary>;

/** A venue without its seats (`POST /v1/venues`, lists). */
export const VenueSummary = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  name: z.string(),
  address: z.string(),
  capacity: z.int(),
  areas: z.array(AreaSummary),
  createdAt: z.string(),
});
export type VenueSummary = z.infer<typeof VenueSummary>;

/** `GET /v1/venues/:id`: the venue with its expanded seat map. */
export const VenueView = VenueSummary.extend({ seatMap: SeatMap });
export type VenueView = z.infer<typeof VenueView>;

/** Newest first; the cursor comes from the previous page's `nextCursor`. */
export const VenueListQuery = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const VenuePage = z.object({ items: z.array(VenueSummary), nextCursor: z.string().nullable() });
export type VenuePage = z.infer<typeof VenuePage>;

// ── Events ───────────────────────────────────────────────────────────────────

/** Lower-case slug, e.g. `music`, `sports`, `theatre`. */
export const EventCategory = z.string().trim().toLowerCase().pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a lower-case slug"));
const Tags = z.array(z.string().trim().min(1).max(40)).max(20);

export const CreateEventRequest = z.object({
  venueId: z.uuid(),
  name: Name,
  description: z.string().max(5000).default(""),
  category: EventCategory,
  tags: Tags.default([]),
});
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;

/** `PATCH /v1/events/:id`: the fields to change. */
export const UpdateEventRequest = z
  .object({ name: Name, description: z.string().max(5000), category: EventCategory, tags: Tags })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "change at least one field" });
export type UpdateEventRequest = z.infer<typeof UpdateEventRequest>;

/** `cancelled`: the organizer called it off (`POST /v1/sessions/:id/cancel`); final. */
export const SessionStatus = z.enum(["draft", "publishing", "on_sale", "closed", "cancelled"]);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const SessionSummary = z.object({
  id: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  saleStartsAt: z.string(),
  saleEndsAt: z.string(),
  status: SessionStatus,
  /** Whether buyers pass a waiting room first (tells two dates at the same time apart). */
  waitingRoom: z.boolean().optional(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const EventView = z.object({
  id: z.uuid(),
  venueId: z.uuid(),
  organizerId: z.uuid(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  /** Earliest start first. */
  sessions: z.array(SessionSummary),
});
export type EventView = z.infer<typeof EventView>;

const DateBound = z.union([IsoInstant, z.iso.date()]);

/**
 * `GET /v1/events`: full-text search over name (weight A), tags (B) and description (C), with
 * prefix matching for autocomplete and trigram matching of the name for typos; best match
 * first (newest first without `q`). `from`/`to` keep events with a session starting in range.
 */
export const EventSearchQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  category: EventCategory.optional(),
  from: DateBound.optional(),
  to: DateBound.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /**
   * `date`: the public listing: only events with a published session still to come, soonest
   * first (by that session's start). Without it: best match first with `q`, else newest first.
   */
  sort: z.enum(["date"]).optional(),
});
export type EventSearchQuery = z.infer<typeof EventSearchQuery>;

export const EventPage = z.object({ items: z.array(EventView), nextCursor: z.string().nullable() });
export type EventPage = z.infer<typeof EventPage>;

// ── Sessions ─────────────────────────────────────────────────────────────────

export const WaitingRoomSettings = z.object({
  enabled: z.boolean(),
  admitPerSecond: z.int().min(1).max(100_000),
  /** Shuffle everyone who joined before the sale starts (fair to early arrivals); first come first served after. Gate default when absent. */
  shuffle: z.boolean().optional(),
});
export type WaitingRoomSettings = z.infer<typeof WaitingRoomSettings>;

export const PriceCategoryInput = z.object({ name: Name, areaIds: z.array(AreaId).min(1).max(MAX_AREAS), price: PriceInput });

/**
 * `POST /v1/events/:id/sessions`. Areas named by no price category are not put on sale.
 * The sale ends no later than the session; an area belongs to at most one category; one currency.
 */
export const CreateSessionRequest = z
  .object({
    startsAt: IsoInstant,
    endsAt: IsoInstant,
    saleStartsAt: IsoInstant,
    saleEndsAt: IsoInstant,
    priceCategories: z.array(PriceCategoryInput).min(1).max(50),
    holdTtlSeconds: z.int().min(30).max(3600).default(600),
    maxSeatsPerHold: z.int().min(1).max(100).default(10),
    /** Seats one buyer may hold or buy per area; defaults to `maxSeatsPerHold`. */
    maxSeatsPerBuyer: z.int().min(1).max(100).optional(),
    waitingRoom: WaitingRoomSettings.optional(),
  })
  .superRefine((s, ctx) => {
    const at = (iso: string) => Date.parse(iso);
    if (at(s.endsAt) <= at(s.startsAt)) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
    if (at(s.saleEndsAt) <= at(s.saleStartsAt)) {
      ctx.addIssue({ code: "custom", path: ["saleEndsAt"], message: "must be after saleStartsAt" });
    }
    if (at(s.saleEndsAt) > at(s.endsAt)) ctx.addIssue({ code: "custom", path: ["saleEndsAt"], message: "must not be after endsAt" });
    if (s.maxSeatsPerBuyer !== undefined && s.maxSeatsPerBuyer < s.maxSeatsPerHold) {
      ctx.addIssue({ code: "custom", path: ["maxSeatsPerBuyer"], message: "must be at least maxSeatsPerHold" });
    }
    const names = new Set<string>();
    const areaOwner = new Map<string, string>();
    const currency = s.priceCategories[0]?.price.currency;
    s.priceCategories.forEach((category, c) => {
      if (names.has(category.name)) ctx.addIssue({ code: "custom", path: ["priceCategories", c, "name"], message: "duplicate name" });
      names.add(category.name);
      if (category.price.currency !== currency) {
        ctx.addIssue({ code: "custom", path: ["priceCategories", c, "price", "currency"], message: "one currency per session" });
      }
      category.areaIds.forEach((areaId, i) => {
        const owner = areaOwner.get(areaId);
        if (owner !== undefined) {
          ctx.addIssue({ code: "custom", path: ["priceCategories", c, "areaIds", i], message: `area ${areaId} is already in ${owner}` });
        }
        areaOwner.set(areaId, category.name);
      });
    });
  });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const PriceCategory = z.object({ id: z.uuid(), name: z.string(), areaIds: z.array(z.string()), price: Money });
export type PriceCategory = z.infer<typeof PriceCategory>;

export const SessionView = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  venueId: z.uuid(),
  organizerId: z.uuid(),
  eventName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  saleStartsAt: z.string(),
  saleEndsAt: z.string(),
  holdTtlSeconds: z.int(),
  maxSeatsPerHold: z.int(),
  maxSeatsPerBuyer: z.int(),
  waitingRoom: WaitingRoomSettings.nullable(),
  status: SessionStatus,
  publishedAt: z.string().nullable(),
  priceCategories: z.array(PriceCategory),
  createdAt: z.string(),
});
export type SessionView = z.infer<typeof SessionView>;

/** `POST /v1/sessions/:id/publish` answers once every area's inventory is loaded. */
export const PublishResponse = SessionView.extend({
  inventory: z.object({
    seats: z.int(),
    areas: z.array(z.object({ id: z.string(), seats: z.int(), partition: z.int() })),
  }),
});
export type PublishResponse = z.infer<typeof PublishResponse>;

const Counts = { total: z.int(), available: z.int(), held: z.int(), sold: z.int(), blocked: z.int() };

/** `GET /v1/sessions/:id/availability`: seat counts per area and per price category. */
export const Availability = z.object({
  sessionId: z.uuid(),
  status: SessionStatus,
  /** The seat map read model's version (bumped on every change). */
  version: z.int(),
  totals: z.object(Counts),
  areas: z.array(z.object({ id: z.string(), name: z.string(), priceCategoryId: z.uuid().nullable(), ...Counts })),
  priceCategories: z.array(z.object({ id: z.uuid(), name: z.string(), price: Money, ...Counts })),
});
export type Availability = z.infer<typeof Availability>;

export const ResourceIdParams = z.object({ id: z.uuid() });

/** `GET /v1/venues/:id/seat-map`: the seat map as arithmetic runs (`seat-map-runs.ts`), for browsers. */
const Runs = z.array(z.number());
export const CompactVenueSeatMap = z.object({
  id: z.uuid(),
  format: z.literal("runs-1"),
  areas: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      seatCount: z.int(),
      rows: z.array(z.tuple([z.string(), Runs, Runs.nullable(), Runs.nullable()])),
    }),
  ),
});
export type CompactVenueSeatMap = z.infer<typeof CompactVenueSeatMap>;

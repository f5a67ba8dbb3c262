import { z } from "zod";

/**
 * The vocabulary of a seat inventory: ids, seat and hold statuses, an area's sale config, the
 * read view of a hold, and the actor snapshot persisted to NATS KV. Commands and events build
 * on these (`seat-commands.ts`, `seat-events.ts`).
 */

const ID_PART = /^[A-Za-z0-9_]+$/;
const SEAT_ID = /^([A-Za-z0-9_]+)-([A-Za-z0-9_]+)-([1-9][0-9]{0,8})$/;

/** An area of a venue, e.g. `A` or `North_Upper`. No `-`: it is the seat id separator. */
export const AreaId = z.string().max(64).regex(ID_PART, "area ids are [A-Za-z0-9_]+");
export type AreaId = z.infer<typeof AreaId>;

/** A row label inside an area, e.g. `3` or `AA`. No `-`. */
export const RowLabel = z.string().max(32).regex(ID_PART, "row labels are [A-Za-z0-9_]+");
export type RowLabel = z.infer<typeof RowLabel>;

/** A seat number inside its row: a positive integer below 10^9. */
export const SeatNumber = z.int().min(1).max(999_999_999);

/** `<areaId>-<rowLabel>-<number>`, e.g. `A-3-17`. Build with {@link seatId}, read with {@link parseSeatId}. */
export const SeatId = z.string().max(128).regex(SEAT_ID, "seat ids are <area>-<row>-<number>");
export type SeatId = z.infer<typeof SeatId>;

/** Builds a seat id; throws a RangeError on parts that cannot form one (a bug in the caller). */
export function seatId(areaId: string, row: string, number: number): string {
  if (!ID_PART.test(areaId) || !ID_PART.test(row) || !Number.isInteger(number) || number < 1 || number > 999_999_999) {
    throw new RangeError(`cannot build a seat id from area ${areaId}, row ${row}, number ${number}`);
  }
  return `${areaId}-${row}-${number}`;
}

/** The parts of a seat id, or `undefined` if `id` is not a well-formed seat id. */
export function parseSeatId(id: string): { areaId: string; row: string; number: number } | undefined {
  const match = SEAT_ID.exec(id);
  if (match === null) return undefined;
  return { areaId: match[1]!, row: match[2]!, number: Number(match[3]) };
}

/** Where a seat stands. `blocked` = held back by the organizer, never offered. */
export const SeatStatus = z.enum(["available", "held", "sold", "blocked"]);
export type SeatStatus = z.infer<typeof SeatStatus>;

/**
 * One seat as the catalog describes it. `x`, `y` and `priceCategoryId` travel to seat-map
 * consumers on `InventoryLoaded`; the engine itself only uses `row` and `number`.
 */
export const SeatDefinition = z.object({
  id: SeatId,
  row: RowLabel,
  number: SeatNumber,
  x: z.number().optional(),
  y: z.number().optional(),
  priceCategoryId: z.string().min(1).max(128).optional(),
});
export type SeatDefinition = z.infer<typeof SeatDefinition>;

/** Sale rules of one session's area. */
export const SeatAreaConfig = z.object({
  /** How long a new hold lives before it expires. */
  holdTtlMs: z.int().min(1),
  maxSeatsPerHold: z.int().min(1),
  /** Seats in the buyer's live holds plus seats sold to the buyer, in this area. */
  maxSeatsPerBuyer: z.int().min(1),
  /** How far `ExtendHold` may push a hold past `createdAt + holdTtlMs`. */
  maxHoldExtensionMs: z.int().min(0),
});
export type SeatAreaConfig = z.infer<typeof SeatAreaConfig>;

/** Why a hold request was turned down. `invalid` = empty or repeated seat ids. */
export const HoldRejectReason = z.enum(["unavailable", "limit_exceeded", "unknown_seats", "not_on_sale", "invalid"]);
export type HoldRejectReason = z.infer<typeof HoldRejectReason>;

/** Lifecycle of a hold id: live (`held`), `sold`, or one of the ended states. */
export const HoldStatus = z.enum(["held", "sold", "released", "expired", "revoked", "rejected"]);
export type HoldStatus = z.infer<typeof HoldStatus>;

/** The outcomes an ended hold id is remembered with (to answer duplicates of it). */
export const EndedHoldStatus = z.enum(["released", "expired", "revoked", "rejected"]);
export type EndedHoldStatus = z.infer<typeof EndedHoldStatus>;

/**
 * What the engine knows of a hold id: the answer to a duplicate hold request and to queries.
 * `seatIds` lists the seats held or sold (empty once a hold has ended); `expiresAt` and
 * `maxExpiresAt` are set while `held`, `paymentId` once `sold`, `reason` when `rejected`.
 */
export const HoldView = z.object({
  holdId: z.string(),
  buyerId: z.string(),
  status: HoldStatus,
  seatIds: z.array(SeatId),
  expiresAt: z.int().optional(),
  maxExpiresAt: z.int().optional(),
  paymentId: z.string().optional(),
  reason: HoldRejectReason.optional(),
});
export type HoldView = z.infer<typeof HoldView>;

/** Version of {@link SeatSnapshot}; bump on any change of shape or meaning. */
export const SEAT_SNAPSHOT_VERSION = 1;

const LiveHoldRecord = z.object({
  holdId: z.string(),
  buyerId: z.string(),
  seatIds: z.array(z.string()),
  createdAt: z.int(),
  expiresAt: z.int(),
  maxExpiresAt: z.int(),
});

const SoldHoldRecord = z.object({
  holdId: z.string(),
  buyerId: z.string(),
  paymentId: z.string(),
  seatIds: z.array(z.string()),
  soldAt: z.int(),
});

const EndedHoldRecord = z.object({
  holdId: z.string(),
  buyerId: z.string(),
  status: EndedHoldStatus,
  reason: HoldRejectReason.optional(),
});

const WaitEntryRecord = z.object({
  entryId: z.string(),
  buyerId: z.string(),
  quantity: z.int().min(1),
  offerTtlMs: z.int().min(1),
  seq: z.int().min(1),
  joinedAt: z.int(),
});

/** One session's area inside a snapshot. Seat statuses follow from `blocked`, `holds` and `sold`. */
export const SeatAreaSnapshot = z.object({
  sessionId: z.string(),
  areaId: AreaId,
  config: SeatAreaConfig,
  /** Front row first; numbers ascending. */
  rows: z.array(z.object({ label: RowLabel, numbers: z.array(SeatNumber) })),
  blocked: z.array(z.string()),
  /** Live holds, by holdId. */
  holds: z.array(LiveHoldRecord),
  /** Sold holds, by holdId. */
  sold: z.array(SoldHoldRecord),
  /** Recently ended hold ids, oldest first (the eviction order). */
  ended: z.array(EndedHoldRecord),
  /** The waiting list, front first; absent in snapshots taken before waiting lists existed. */
  waitlist: z.array(WaitEntryRecord).optional(),
  /** The last join's `seq` (0 before any). */
  waitlistSeq: z.int().min(0).optional(),
});
export type SeatAreaSnapshot = z.infer<typeof SeatAreaSnapshot>;

/**
 * A seat actor's whole state as plain JSON (NATS KV bucket `seat_snapshots`). Canonical: the
 * same logical state always serialises to the same value, whatever history led to it.
 */
export const SeatSnapshot = z.object({
  version: z.literal(SEAT_SNAPSHOT_VERSION),
  /** How many ended hold ids each area remembers. */
  endedHoldLimit: z.int().min(1),
  /** By sessionId, then areaId. */
  areas: z.array(SeatAreaSnapshot),
});
export type SeatSnapshot = z.infer<typeof SeatSnapshot>;

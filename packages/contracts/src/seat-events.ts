import { z } from "zod";
import {
  AreaId,
  HoldRejectReason,
  HoldStatus,
  HoldView,
  SeatAreaConfig,
  SeatDefinition,
  SeatId,
  type SeatStatus,
} from "./seat-inventory.ts";
import { WaitlistAlreadyJoined, WaitlistJoinRejected, WaitlistJoined, WaitlistLeft, WaitlistOffered } from "./waitlist-events.ts";

/**
 * What a seat actor decided, in the past tense. Published to JetStream and read by other
 * services, so each event is self-contained: the seats it touches, the buyer, the expiry.
 * Every event carries the `commandId`, `sessionId` and `areaId` of the command that caused it
 * and `at`, that command's `now`. Every rejection names its `reason`, and where seats are the
 * cause, lists them in `unavailable`.
 */

const base = {
  commandId: z.string(),
  sessionId: z.string(),
  areaId: AreaId,
  at: z.int(),
};
const seatIds = z.array(SeatId);

/** Seats were added to an area and/or its config was set. `seats` are only the new ones. */
export const InventoryLoaded = z.object({
  ...base,
  type: z.literal("InventoryLoaded"),
  seats: z.array(SeatDefinition),
  config: SeatAreaConfig,
  /** Seats in the area after this load. */
  seatCount: z.int(),
});
export type InventoryLoaded = z.infer<typeof InventoryLoaded>;

export const InventoryRejected = z.object({
  ...base,
  type: z.literal("InventoryRejected"),
  reason: z.enum(["invalid"]),
  detail: z.string(),
});
export type InventoryRejected = z.infer<typeof InventoryRejected>;

/** A hold was granted. It is live until `expiresAt`; extensions can push that to `maxExpiresAt`. */
export const SeatsHeld = z.object({
  ...base,
  type: z.literal("SeatsHeld"),
  holdId: z.string(),
  buyerId: z.string(),
  /** In venue order: front row first, then seat number. */
  seatIds,
  expiresAt: z.int(),
  maxExpiresAt: z.int(),
  /** Which command asked: explicit seats, best available, or a waiting-list offer (holdId = entry id). */
  mode: z.enum(["seats", "best_available", "offer"]),
});
export type SeatsHeld = z.infer<typeof SeatsHeld>;

/** A hold request was turned down; nothing was held. `limit` says which limit was hit. */
export const HoldRejected = z.object({
  ...base,
  type: z.literal("HoldRejected"),
  holdId: z.string(),
  buyerId: z.string(),
  reason: HoldRejectReason,
  unavailable: seatIds,
  limit: z.enum(["per_hold", "per_buyer"]).optional(),
});
export type HoldRejected = z.infer<typeof HoldRejected>;

/**
 * A hold request (or confirm) repeated a hold id the area already knows. Changes nothing;
 * `hold` is the current outcome to answer the waiting caller with.
 */
export const HoldDuplicate = z.object({
  ...base,
  type: z.literal("HoldDuplicate"),
  holdId: z.string(),
  hold: HoldView,
});
export type HoldDuplicate = z.infer<typeof HoldDuplicate>;

/** The owner released a live hold; `seatIds` are available again. */
export const HoldReleased = z.object({
  ...base,
  type: z.literal("HoldReleased"),
  holdId: z.string(),
  buyerId: z.string(),
  seatIds,
});
export type HoldReleased = z.infer<typeof HoldReleased>;

export const ReleaseRejected = z.object({
  ...base,
  type: z.literal("ReleaseRejected"),
  holdId: z.string(),
  buyerId: z.string(),
  reason: z.enum(["unknown_hold", "not_owner", "already_sold", "already_ended"]),
  holdStatus: HoldStatus.optional(),
});
export type ReleaseRejected = z.infer<typeof ReleaseRejected>;

/** A live hold now lasts until `expiresAt`; `capped` when the request asked for more than allowed. */
export const HoldExtended = z.object({
  ...base,
  type: z.literal("HoldExtended"),
  holdId: z.string(),
  buyerId: z.string(),
  seatIds,
  previousExpiresAt: z.int(),
  expiresAt: z.int(),
  maxExpiresAt: z.int(),
  capped: z.boolean(),
});
export type HoldExtended = z.infer<typeof HoldExtended>;

export const ExtendRejected = z.object({
  ...base,
  type: z.literal("ExtendRejected"),
  holdId: z.string(),
  reason: z.enum(["unknown_hold", "not_owner", "expired", "already_sold", "already_ended"]),
  holdStatus: HoldStatus.optional(),
});
export type ExtendRejected = z.infer<typeof ExtendRejected>;

/** A hold ran out; `seatIds` are available again. */
export const HoldExpired = z.object({
  ...base,
  type: z.literal("HoldExpired"),
  holdId: z.string(),
  buyerId: z.string(),
  seatIds,
  expiresAt: z.int(),
});
export type HoldExpired = z.infer<typeof HoldExpired>;

/** Payment confirmed a live hold: its seats are sold, for good. */
export const SeatsSold = z.object({
  ...base,
  type: z.literal("SeatsSold"),
  holdId: z.string(),
  paymentId: z.string(),
  buyerId: z.string(),
  seatIds,
});
export type SeatsSold = z.infer<typeof SeatsSold>;

/** A payment arrived for a hold that cannot be sold: the payment side must refund it. */
export const ConfirmRejected = z.object({
  ...base,
  type: z.literal("ConfirmRejected"),
  holdId: z.string(),
  paymentId: z.string(),
  reason: z.enum(["unknown_hold", "expired", "released", "revoked", "already_sold"]),
  buyerId: z.string().optional(),
});
export type ConfirmRejected = z.infer<typeof ConfirmRejected>;

/** A hold was undone because the Redis fence refused it; `seatIds` are available again. */
export const HoldRevoked = z.object({
  ...base,
  type: z.literal("HoldRevoked"),
  holdId: z.string(),
  buyerId: z.string(),
  seatIds,
  reason: z.enum(["fence"]),
});
export type HoldRevoked = z.infer<typeof HoldRevoked>;

/** Seats were held back by the organizer. Only seats that were available are listed. */
export const SeatsBlocked = z.object({
  ...base,
  type: z.literal("SeatsBlocked"),
  seatIds,
  reason: z.string().optional(),
});
export type SeatsBlocked = z.infer<typeof SeatsBlocked>;

/** Blocked seats went back on sale. */
export const SeatsUnblocked = z.object({
  ...base,
  type: z.literal("SeatsUnblocked"),
  seatIds,
});
export type SeatsUnblocked = z.infer<typeof SeatsUnblocked>;

export const BlockRejected = z.object({
  ...base,
  type: z.literal("BlockRejected"),
  reason: z.enum(["not_on_sale", "invalid", "unknown_seats", "unavailable"]),
  unavailable: seatIds,
});
export type BlockRejected = z.infer<typeof BlockRejected>;

export const UnblockRejected = z.object({
  ...base,
  type: z.literal("UnblockRejected"),
  reason: z.enum(["not_on_sale", "invalid", "unknown_seats"]),
  unavailable: seatIds,
});
export type UnblockRejected = z.infer<typeof UnblockRejected>;

/**
 * A sold hold gave its seats back (its order was refunded, or its session cancelled): `seatIds`
 * are available again unless a `SeatsBlocked` of the same command follows. The hold id is then
 * remembered as `released`.
 */
export const HoldRefunded = z.object({
  ...base,
  type: z.literal("HoldRefunded"),
  holdId: z.string(),
  buyerId: z.string(),
  paymentId: z.string(),
  seatIds,
  reason: z.enum(["refund", "session_cancelled"]),
});
export type HoldRefunded = z.infer<typeof HoldRefunded>;

/** Every event a seat actor emits, discriminated on `type`. */
export const SeatEvent = z.discriminatedUnion("type", [
  InventoryLoaded,
  InventoryRejected,
  SeatsHeld,
  HoldRejected,
  HoldDuplicate,
  HoldReleased,
  ReleaseRejected,
  HoldExtended,
  ExtendRejected,
  HoldExpired,
  SeatsSold,
  ConfirmRejected,
  HoldRevoked,
  SeatsBlocked,
  SeatsUnblocked,
  BlockRejected,
  UnblockRejected,
  HoldRefunded,
  WaitlistJoined,
  WaitlistAlreadyJoined,
  WaitlistJoinRejected,
  WaitlistLeft,
  WaitlistOffered,
]);
export type SeatEvent = z.infer<typeof SeatEvent>;
export type SeatEventType = SeatEvent["type"];

/**
 * The seat-map change an event makes (for live seat maps), or `undefined` if it changes no
 * seat's status. `InventoryLoaded` reports its new seats as available.
 */
export function seatStatusChange(event: SeatEvent): { status: SeatStatus; seatIds: readonly string[] } | undefined {
  switch (event.type) {
    case "InventoryLoaded":
      return event.seats.length > 0 ? { status: "available", seatIds: event.seats.map((s) => s.id) } : undefined;
    case "SeatsHeld":
      return { status: "held", seatIds: event.seatIds };
    case "SeatsSold":
      return { status: "sold", seatIds: event.seatIds };
    case "SeatsBlocked":
      return { status: "blocked", seatIds: event.seatIds };
    case "HoldReleased":
    case "HoldExpired":
    case "HoldRevoked":
    case "SeatsUnblocked":
    case "HoldRefunded":
      return { status: "available", seatIds: event.seatIds };
    case "InventoryRejected":
    case "HoldRejected":
    case "HoldDuplicate":
    case "ReleaseRejected":
    case "HoldExtended":
    case "ExtendRejected":
    case "ConfirmRejected":
    case "BlockRejected":
    case "UnblockRejected":
    case "WaitlistJoined":
    case "WaitlistAlreadyJoined":
    case "WaitlistJoinRejected":
    case "WaitlistLeft":
    case "WaitlistOffered":
      return undefined;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown seat event ${JSON.stringify(unreachable)}`);
    }
  }
}

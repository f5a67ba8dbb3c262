import { z } from "zod";
import { SeatAreaConfig, SeatDefinition, SeatId, parseSeatId } from "./seat-inventory.ts";
import { BuyerId, seatCommandBase } from "./seat-command-base.ts";
import { JoinWaitlist, LeaveWaitlist } from "./waitlist-commands.ts";

/**
 * Commands to a seat actor (`seat.cmd.<partition>`). Every command names the session's area it
 * is about and carries `now`: time enters the log on the command, the engine never reads a clock.
 */

/** A hold id, minted by the gate (a UUID). A retried request keeps its hold id. */
export const HoldId = z.uuid();

// Not exported: generic names like PaymentId belong to whichever contract owns them.
const PaymentId = z.string().min(1).max(128);

/** Most seats one hold command may name; the area config usually allows far fewer. */
export const MAX_SEATS_PER_HOLD_COMMAND = 100;
/** Most seats one block/unblock command may name. */
export const MAX_SEATS_PER_BLOCK_COMMAND = 10_000;
/** Most seats one LoadInventory may carry: ~50 bytes a seat keeps it near 250 KB, well under the 1 MiB message limit. */
export const MAX_SEATS_PER_LOAD = 5_000;

const base = seatCommandBase;

const distinct = (ids: readonly string[]) => new Set(ids).size === ids.length;
const seatList = (max: number) =>
  z.array(SeatId).min(1).max(max).refine(distinct, { message: "seat ids must be distinct" });

/**
 * Opens (or re-opens) an area for sale. Idempotent: a reload only adds seats that are new and
 * updates the config; sold, held and blocked seats stay as they are. Rows rank in the order
 * they first appear in `seats`, so list the front row first.
 */
export const LoadInventory = z
  .object({
    ...base,
    type: z.literal("LoadInventory"),
    seats: z.array(SeatDefinition).max(MAX_SEATS_PER_LOAD),
    config: SeatAreaConfig,
  })
  .superRefine((command, ctx) => {
    const seen = new Set<string>();
    command.seats.forEach((seat, i) => {
      const parts = parseSeatId(seat.id);
      if (parts?.areaId !== command.areaId || parts.row !== seat.row || parts.number !== seat.number) {
        ctx.addIssue({
          code: "custom",
          path: ["seats", i, "id"],
          message: `must be ${command.areaId}-${seat.row}-${seat.number}`,
        });
      }
      if (seen.has(seat.id)) ctx.addIssue({ code: "custom", path: ["seats", i, "id"], message: "duplicate seat id" });
      seen.add(seat.id);
    });
  });
export type LoadInventory = z.infer<typeof LoadInventory>;

/** Hold exactly these seats, all or nothing. */
export const HoldSeats = z.object({
  ...base,
  type: z.literal("HoldSeats"),
  holdId: HoldId,
  buyerId: BuyerId,
  seatIds: seatList(MAX_SEATS_PER_HOLD_COMMAND),
});
export type HoldSeats = z.infer<typeof HoldSeats>;

/** Hold the best `quantity` available seats: side by side in one row when possible. */
export const HoldBestAvailable = z.object({
  ...base,
  type: z.literal("HoldBestAvailable"),
  holdId: HoldId,
  buyerId: BuyerId,
  quantity: z.int().min(1).max(MAX_SEATS_PER_HOLD_COMMAND),
});
export type HoldBestAvailable = z.infer<typeof HoldBestAvailable>;

/** The buyer gives a live hold back. Only its owner may. */
export const ReleaseHold = z.object({
  ...base,
  type: z.literal("ReleaseHold"),
  holdId: HoldId,
  buyerId: BuyerId,
});
export type ReleaseHold = z.infer<typeof ReleaseHold>;

/**
 * Keep a live hold until at least `now + byMs` (a payment is running), never past the hold's
 * `maxExpiresAt` (= createdAt + holdTtlMs + maxHoldExtensionMs). Measured from `now`, so a
 * redelivered command extends nothing further. `buyerId`, when given, must be the owner.
 */
export const ExtendHold = z.object({
  ...base,
  type: z.literal("ExtendHold"),
  holdId: HoldId,
  buyerId: BuyerId.optional(),
  byMs: z.int().min(1).max(86_400_000),
});
export type ExtendHold = z.infer<typeof ExtendHold>;

/** Appended by the actor when a hold's timer fires; a no-op unless the hold is live and due at `now`. */
export const ExpireHold = z.object({
  ...base,
  type: z.literal("ExpireHold"),
  holdId: HoldId,
});
export type ExpireHold = z.infer<typeof ExpireHold>;

/** Payment succeeded: sell the hold's seats if the hold is still live at `now`. */
export const ConfirmHold = z.object({
  ...base,
  type: z.literal("ConfirmHold"),
  holdId: HoldId,
  paymentId: PaymentId,
});
export type ConfirmHold = z.infer<typeof ConfirmHold>;

/** Undo a hold that the Redis fence refused although memory allowed it. */
export const RevokeHold = z.object({
  ...base,
  type: z.literal("RevokeHold"),
  holdId: HoldId,
  reason: z.enum(["fence"]),
});
export type RevokeHold = z.infer<typeof RevokeHold>;

/** Organizer hold-back: blocked seats are never offered. Rejected if any seat is held or sold. */
export const BlockSeats = z.object({
  ...base,
  type: z.literal("BlockSeats"),
  seatIds: seatList(MAX_SEATS_PER_BLOCK_COMMAND),
  reason: z.string().max(200).optional(),
});
export type BlockSeats = z.infer<typeof BlockSeats>;

/** Put blocked seats back on sale (seats that are not blocked are left alone). */
export const UnblockSeats = z.object({
  ...base,
  type: z.literal("UnblockSeats"),
  seatIds: seatList(MAX_SEATS_PER_BLOCK_COMMAND),
});
export type UnblockSeats = z.infer<typeof UnblockSeats>;

/**
 * A sold hold's order was refunded: its seats go back on sale. A no-op unless the hold is sold
 * (a repeat, or a hold already given back by a cancellation, changes nothing).
 */
export const RefundHold = z.object({
  ...base,
  type: z.literal("RefundHold"),
  holdId: HoldId,
});
export type RefundHold = z.infer<typeof RefundHold>;

/**
 * The session was cancelled: every live hold of the area ends, every sold hold gives its seats
 * back, and every seat is blocked so nothing sells again. Repeating it changes nothing.
 */
export const CancelArea = z.object({
  ...base,
  type: z.literal("CancelArea"),
});
export type CancelArea = z.infer<typeof CancelArea>;

/** Every command a seat actor accepts, discriminated on `type`. */
export const SeatCommand = z.discriminatedUnion("type", [
  LoadInventory,
  HoldSeats,
  HoldBestAvailable,
  ReleaseHold,
  ExtendHold,
  ExpireHold,
  ConfirmHold,
  RevokeHold,
  BlockSeats,
  UnblockSeats,
  RefundHold,
  CancelArea,
  JoinWaitlist,
  LeaveWaitlist,
]);
export type SeatCommand = z.infer<typeof SeatCommand>;
export type SeatCommandType = SeatCommand["type"];

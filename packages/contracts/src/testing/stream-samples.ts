import { HoldRejectedBatch, SeatStreamMessage } from "../hold-rejected-batch.ts";
import { OrderEvent } from "../order-events.ts";
import type { HoldRejected } from "../seat-events.ts";
import { PaymentEvent } from "../payment-events.ts";

/**
 * One valid message of every type each stream's producers publish, for consumer contract tests:
 * typed as a `Record` over the producer's union, so a new message type does not compile until
 * it has a sample here, and parsed by the producer's schema, so a sample cannot drift from it.
 */
const ids = {
  session: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10",
  hold: "0b9c2d4e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
  order: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  payment: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
  buyer: "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b",
};
const at = 1_700_000_000_000;
const base = { commandId: "cmd-1", sessionId: ids.session, areaId: "A", at };
const hold = { ...base, holdId: ids.hold, buyerId: ids.buyer };
const seatIds = ["A-1-1", "A-1-2"];
const rejected: HoldRejected = { ...hold, type: "HoldRejected", reason: "unavailable", unavailable: ["A-1-1"] };

const seatSamples: { [T in SeatStreamMessage["type"]]: Extract<SeatStreamMessage, { type: T }> } = {
  InventoryLoaded: {
    ...base, type: "InventoryLoaded", seats: [{ id: "A-1-1", row: "1", number: 1 }], seatCount: 1,
    config: { holdTtlMs: 600_000, maxSeatsPerHold: 8, maxSeatsPerBuyer: 8, maxHoldExtensionMs: 0 },
  },
  InventoryRejected: { ...base, type: "InventoryRejected", reason: "invalid", detail: "no seats" },
  SeatsHeld: { ...hold, type: "SeatsHeld", seatIds, expiresAt: at + 60_000, maxExpiresAt: at + 120_000, mode: "seats" },
  HoldRejected: rejected,
  HoldRejectedBatch: { type: "HoldRejectedBatch", entries: [{ event: rejected }, { event: { ...rejected, commandId: "cmd-2" } }] },
  HoldDuplicate: { ...base, type: "HoldDuplicate", holdId: ids.hold, hold: { holdId: ids.hold, buyerId: ids.buyer, status: "held", seatIds } },
  HoldReleased: { ...hold, type: "HoldReleased", seatIds },
  ReleaseRejected: { ...hold, type: "ReleaseRejected", reason: "unknown_hold" },
  HoldExtended: {
    ...hold, type: "HoldExtended", seatIds, previousExpiresAt: at + 60_000, expiresAt: at + 90_000, maxExpiresAt: at + 120_000, capped: false,
  },
  ExtendRejected: { ...base, type: "ExtendRejected", holdId: ids.hold, reason: "expired" },
  HoldExpired: { ...hold, type: "HoldExpired", seatIds, expiresAt: at },
  SeatsSold: { ...hold, type: "SeatsSold", paymentId: ids.payment, seatIds },
  ConfirmRejected: { ...hold, type: "ConfirmRejected", paymentId: ids.payment, reason: "expired" },
  HoldRevoked: { ...hold, type: "HoldRevoked", seatIds, reason: "fence" },
  SeatsBlocked: { ...base, type: "SeatsBlocked", seatIds },
  SeatsUnblocked: { ...base, type: "SeatsUnblocked", seatIds },
  BlockRejected: { ...base, type: "BlockRejected", reason: "unavailable", unavailable: ["A-1-1"] },
  UnblockRejected: { ...base, type: "UnblockRejected", reason: "unknown_seats", unavailable: ["A-9-9"] },
  HoldRefunded: { ...hold, type: "HoldRefunded", paymentId: ids.payment, seatIds, reason: "refund" },
  WaitlistJoined: { ...base, type: "WaitlistJoined", entryId: ids.hold, buyerId: ids.buyer, quantity: 2, seq: 1, position: 1, offerTtlMs: 300_000 },
  WaitlistAlreadyJoined: { ...base, type: "WaitlistAlreadyJoined", entryId: ids.hold, buyerId: ids.buyer, quantity: 2, seq: 1, position: 1 },
  WaitlistJoinRejected: { ...base, type: "WaitlistJoinRejected", entryId: ids.hold, buyerId: ids.buyer, reason: "seats_available", available: 4 },
  WaitlistLeft: { ...base, type: "WaitlistLeft", entryId: ids.hold, buyerId: ids.buyer, reason: "left" },
  WaitlistOffered: { ...hold, type: "WaitlistOffered", entryId: ids.hold, seatIds, expiresAt: at + 300_000 },
};

/** Every message type SEAT_EVENTS carries (a `SeatEvent`, or a `HoldRejectedBatch`), one each. */
export const seatStreamSamples = (): SeatStreamMessage[] =>
  Object.values(seatSamples).map((sample) => (sample.type === "HoldRejectedBatch" ? HoldRejectedBatch.parse(sample) : SeatStreamMessage.parse(sample)));

/** Every message type PAYMENTS carries, one each. */
export const paymentStreamSamples = (): PaymentEvent[] => [
  PaymentEvent.parse({
    type: "PaymentStatusChanged", paymentId: ids.payment, orderId: ids.order, buyerId: ids.buyer, provider: "mock",
    status: "pending", amount: { amount: "45.00", currency: "EUR" }, at,
  }),
];

/** Every message type ORDERS carries, one each. */
export const orderStreamSamples = (): OrderEvent[] => [
  OrderEvent.parse({
    type: "OrderStatusChanged", orderId: ids.order, holdId: ids.hold, buyerId: ids.buyer, sessionId: ids.session,
    status: "created", previous: null, total: { amount: "45.00", currency: "EUR" }, at,
  }),
  OrderEvent.parse({
    type: "SessionCancelled", sessionId: ids.session, eventId: ids.order, cancelledBy: ids.buyer, reason: "storm", at,
  }),
];

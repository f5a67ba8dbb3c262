import type { OrderStatus, PaymentStatus, SeatEvent, SeatStreamMessage } from "@rush/contracts";

/**
 * The order state machine, pure. Facts arrive from two streams (seat events, payment events)
 * with no order between them, so a transition depends only on where the order is and where the
 * fact points, never on arrival order: statuses are ranked and an order only moves up.
 *
 *   created → payment_pending → completed → refund_pending → refund_failed ─┐
 *      └──────────┴──→ expired → failed | refunded ◀───────┴─────────────────┘
 *
 * `refunded` is final. `completed` moves only into a refund (an organizer's, or its session's
 * cancellation). `expired` is not final: a payment that was running when the hold ran out still
 * ends as `failed` (declined) or `refunded` (taken, then returned). `failed` only moves to
 * `refunded`: money that still arrived for a declined payment was given back. A refund that
 * fails stays `refund_failed` while it is retried (a retry is not news) until it is `refunded`.
 */
const RANK: Record<OrderStatus, number> = {
  created: 0,
  payment_pending: 1,
  expired: 2,
  failed: 3,
  completed: 4,
  refund_pending: 5,
  refund_failed: 6,
  refunded: 7,
};

/** The statuses only a completed order reaches (a requested refund under way). */
const REFUNDING = new Set<OrderStatus>(["refund_pending", "refund_failed"]);

/** The status an order moves to when `target` is reported, or `undefined` if it stays. */
export function nextStatus(current: OrderStatus, target: OrderStatus): OrderStatus | undefined {
  if (current === target || current === "refunded") return undefined;
  if (current === "failed") return target === "refunded" ? target : undefined;
  // Compensating an expired hold's payment is not refunding a sale: such an order goes straight to refunded.
  if (REFUNDING.has(target) && current !== "completed" && !REFUNDING.has(current)) return undefined;
  if (current === "completed") return REFUNDING.has(target) || target === "refunded" ? target : undefined;
  return RANK[target] > RANK[current] ? target : undefined;
}

/**
 * What the order service does with each message its `seat.>` consumer can be delivered: a
 * `Record`, so a new message type does not compile until someone decides. Refusals (single or
 * batched), rejections and inventory changes concern no order.
 */
export const ORDER_SEAT_MESSAGES: Record<SeatStreamMessage["type"], "follow" | "ignore"> = {
  SeatsHeld: "follow",
  HoldExtended: "follow",
  HoldExpired: "follow",
  HoldReleased: "follow",
  HoldRevoked: "follow",
  SeatsSold: "follow",
  InventoryLoaded: "ignore",
  InventoryRejected: "ignore",
  HoldRejected: "ignore",
  HoldRejectedBatch: "ignore",
  HoldDuplicate: "ignore",
  ReleaseRejected: "ignore",
  ExtendRejected: "ignore",
  // The payment service compensates a refused confirm (refund) from the seat reply it waits for.
  ConfirmRejected: "ignore",
  SeatsBlocked: "ignore",
  SeatsUnblocked: "ignore",
  BlockRejected: "ignore",
  UnblockRejected: "ignore",
  // The refund's payment events move the order; the seats going back concern no order.
  HoldRefunded: "ignore",
  // A waiting-list offer reaches orders as the SeatsHeld (mode "offer") before it.
  WaitlistJoined: "ignore",
  WaitlistAlreadyJoined: "ignore",
  WaitlistJoinRejected: "ignore",
  WaitlistLeft: "ignore",
  WaitlistOffered: "ignore",
};

/** Where a seat event points an order, if anywhere. */
export function targetOfSeatEvent(event: SeatEvent): OrderStatus | undefined {
  switch (event.type) {
    case "SeatsHeld":
      return "created";
    case "HoldExpired":
    case "HoldReleased":
    case "HoldRevoked":
      return "expired";
    case "SeatsSold":
      return "completed";
    default:
      // Confirm rejections are the payment service's to compensate; the rest concern no order.
      return undefined;
  }
}

/** Where a payment status points its order, if anywhere. */
export function targetOfPayment(status: PaymentStatus): OrderStatus | undefined {
  switch (status) {
    case "pending":
      return "payment_pending";
    case "failed":
      return "failed";
    case "refunded":
      return "refunded";
    case "refund_pending":
      return "refund_pending";
    case "refund_failed":
      return "refund_failed";
    case "created":
    case "succeeded":
      return undefined;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown payment status ${String(unreachable)}`);
    }
  }
}

import { z } from "zod";
import { Money } from "./money.ts";

/**
 * An order's lifecycle (API.md): `created` when the seat engine grants the hold,
 * `payment_pending` while a payment runs, then one of `completed` (seats sold, tickets issued),
 * `expired` (the hold ran out or was given back), `failed` (the payment was declined) or
 * `refunded` (the money went back: it came in after the hold was gone, or the organizer refunded
 * the order or cancelled its session). A completed order being refunded is `refund_pending`, and
 * `refund_failed` while its provider keeps refusing (retried with backoff until it is `refunded`).
 */
export const OrderStatus = z.enum(["created", "payment_pending", "completed", "expired", "failed", "refund_pending", "refund_failed", "refunded"]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** An order reached a new status. Published once per status on `order.<status>.<orderId>` (msg-id `<orderId>:<status>`). */
export const OrderStatusChanged = z.object({
  type: z.literal("OrderStatusChanged"),
  orderId: z.uuid(),
  holdId: z.uuid(),
  buyerId: z.string(),
  sessionId: z.uuid(),
  status: OrderStatus,
  previous: OrderStatus.nullable(),
  total: Money,
  /**
   * Why, for the refund statuses: `organizer_refund`, `session_cancelled`, `hold_expired`…; on
   * `refund_failed`, the provider's last error.
   */
  reason: z.string().max(500).optional(),
  /** Epoch ms of the change. */
  at: z.int(),
});
export type OrderStatusChanged = z.infer<typeof OrderStatusChanged>;

/**
 * The organizer (or an admin) cancelled a session: its seats are off sale, its live holds ended,
 * every completed order of it is being refunded (each one's `order.refunded.<orderId>` follows)
 * and its tickets no longer scan. Published once on `order.session_cancelled.<sessionId>`
 * (msg-id `<sessionId>:cancelled`).
 */
export const SessionCancelled = z.object({
  type: z.literal("SessionCancelled"),
  sessionId: z.uuid(),
  eventId: z.uuid(),
  /** Who cancelled it (a user id). */
  cancelledBy: z.string(),
  reason: z.string().max(500).optional(),
  /** Epoch ms of the cancellation. */
  at: z.int(),
});
export type SessionCancelled = z.infer<typeof SessionCancelled>;

/** Where a `SessionCancelled` is published (on the ORDERS stream, so replays see it beside the refunds). */
export const sessionCancelledSubject = (sessionId: string): string => `order.session_cancelled.${sessionId}`;

/** Every event on the ORDERS stream, discriminated on `type`. */
export const OrderEvent = z.discriminatedUnion("type", [OrderStatusChanged, SessionCancelled]);
export type OrderEvent = z.infer<typeof OrderEvent>;

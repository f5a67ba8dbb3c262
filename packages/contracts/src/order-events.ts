import { z } from "zod";
import { Money } from "./money.ts";

/**
 * An order's lifecycle (API.md): `created` when the seat engine grants the hold,
 * `payment_pending` while a payment runs, then one of `completed` (seats sold, tickets issued),
 * `expired` (the hold ran out or was given back), `failed` (the payment was declined) or
 * `refunded` (the money came in after the hold was gone, and went back).
 */
export const OrderStatus = z.enum(["created", "payment_pending", "completed", "expired", "failed", "refunded"]);
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
  /** Epoch ms of the change. */
  at: z.int(),
});
export type OrderStatusChanged = z.infer<typeof OrderStatusChanged>;

/** Every event on the ORDERS stream, discriminated on `type`. */
export const OrderEvent = z.discriminatedUnion("type", [OrderStatusChanged]);
export type OrderEvent = z.infer<typeof OrderEvent>;

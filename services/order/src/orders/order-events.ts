import { type Bus, type TraceContext, publish } from "@rush/bus";
import { OrderEvent, orderSubject } from "@rush/contracts";
import { type OrderRow, type Transition, moneyOf } from "./order-store.ts";

/** Publishes an order's current status on `order.<status>.<orderId>`, once per status (msg-id). */
export async function publishOrderStatus(bus: Bus, order: OrderRow, previous: Transition["previous"], trace?: TraceContext): Promise<void> {
  await publish(
    bus,
    orderSubject(order.status, order.id),
    OrderEvent,
    {
      type: "OrderStatusChanged",
      orderId: order.id,
      holdId: order.holdId,
      buyerId: order.buyerId,
      sessionId: order.sessionId,
      status: order.status,
      previous,
      total: moneyOf(order),
      at: order.updatedAt.getTime(),
    },
    { msgId: `${order.id}:${order.status}`, type: "OrderStatusChanged", ...(trace ? { trace } : {}) },
  );
}

import { type Bus, type TraceContext, headersFor, sharedPublisher } from "@rush/bus";
import { type OrderEvent, orderSubject } from "@rush/contracts";
import { type OrderRow, type Transition, moneyOf } from "./order-store.ts";

const encoder = new TextEncoder();

/** Publishes an order's current status on `order.<status>.<orderId>`, once per status (msg-id). */
export async function publishOrderStatus(bus: Bus, order: OrderRow, previous: Transition["previous"], trace?: TraceContext): Promise<void> {
  // Built from a database row by this service, typed by the contract: not parsed again on the way out.
  const event: OrderEvent = {
    type: "OrderStatusChanged",
    orderId: order.id,
    holdId: order.holdId,
    buyerId: order.buyerId,
    sessionId: order.sessionId,
    status: order.status,
    previous,
    total: moneyOf(order),
    ...(order.reason ? { reason: order.reason } : {}),
    at: order.updatedAt.getTime(),
  };
  await sharedPublisher(bus).publish(orderSubject(order.status, order.id), encoder.encode(JSON.stringify(event)), {
    msgId: `${order.id}:${order.status}`,
    headers: headersFor(trace, "OrderStatusChanged"),
  });
}

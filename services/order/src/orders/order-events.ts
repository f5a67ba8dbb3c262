import { type AsyncPublisher, type Bus, type TraceContext, createAsyncPublisher, headersFor } from "@rush/bus";
import { type OrderEvent, orderSubject } from "@rush/contracts";
import { type OrderRow, type Transition, moneyOf } from "./order-store.ts";

const encoder = new TextEncoder();
/**
 * One shared-inbox publisher per connection: a request per event (its own inbox, timer and
 * pre-built errors) was an eighth of the order service's CPU in a flash sale. Tied to the
 * connection, so it lives exactly as long as the bus does.
 */
const publishers = new WeakMap<Bus, AsyncPublisher>();
const publisherOf = (bus: Bus) => {
  const known = publishers.get(bus);
  if (known) return known;
  const publisher = createAsyncPublisher(bus);
  publishers.set(bus, publisher);
  return publisher;
};

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
  await publisherOf(bus).publish(orderSubject(order.status, order.id), encoder.encode(JSON.stringify(event)), {
    msgId: `${order.id}:${order.status}`,
    headers: headersFor(trace, "OrderStatusChanged"),
  });
}

import type { Bus, TraceContext } from "@rush/bus";
import type { PaymentEvent } from "@rush/contracts";
import { publishOrderStatus } from "./order-events.ts";
import { targetOfPayment } from "./order-state.ts";
import type { OrderStore } from "./order-store.ts";

/** Follows payments: started → payment_pending, declined → failed, refunded → refunded. */
export function createPaymentEventHandler(deps: { bus: Bus; orders: OrderStore }) {
  return async function handle(event: PaymentEvent, trace: TraceContext): Promise<void> {
    const target = targetOfPayment(event.status);
    if (!target) return;
    const transition = await deps.orders.moveTo(event.orderId, target);
    // The payment service only pays orders that exist; a missing one is retried, then terminated.
    if (!transition) throw new Error(`payment ${event.paymentId} names unknown order ${event.orderId}`);
    if (transition.changed || transition.order.status === target) {
      await publishOrderStatus(deps.bus, transition.order, transition.previous, trace);
    }
  };
}

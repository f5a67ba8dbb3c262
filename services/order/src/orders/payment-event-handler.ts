import type { Bus, TraceContext } from "@rush/bus";
import type { PaymentEvent } from "@rush/contracts";
import { publishOrderStatus } from "./order-events.ts";
import { targetOfPayment } from "./order-state.ts";
import type { OrderStore } from "./order-store.ts";
import type { TicketStore } from "../tickets/ticket-store.ts";

/**
 * Follows payments: started → payment_pending, declined → failed, refund under way →
 * refund_pending / refund_failed, refunded → refunded. A completed order's refund voids its
 * tickets first, so the door refuses them from the moment the refund is asked for.
 */
export function createPaymentEventHandler(deps: { bus: Bus; orders: OrderStore; tickets: Pick<TicketStore, "voidOrder"> }) {
  return async function handle(event: PaymentEvent, trace: TraceContext): Promise<void> {
    const target = targetOfPayment(event.status);
    if (!target) return;
    if (target === "refund_pending" || target === "refund_failed" || target === "refunded") await deps.tickets.voidOrder(event.orderId);
    const reason = event.status === "refund_failed" ? (event.error ?? event.reason) : event.reason;
    const transition = await deps.orders.moveTo(event.orderId, target, reason);
    // The payment service only pays orders that exist; a missing one is retried, then terminated.
    if (!transition) throw new Error(`payment ${event.paymentId} names unknown order ${event.orderId}`);
    if (transition.changed || transition.order.status === target) {
      await publishOrderStatus(deps.bus, transition.order, transition.previous, trace);
    }
  };
}

import type { BatchItem, Bus, TraceContext } from "@rush/bus";
import type { PaymentEvent } from "@rush/contracts";
import type { Db } from "@rush/db";
import { publishOrderStatus } from "./order-events.ts";
import { targetOfPayment } from "./order-state.ts";
import type { OrderStore, Transition } from "./order-store.ts";
import { moveMany } from "./moved-orders.ts";
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

/** The targets a batch moves in one statement; a refund's (reason kept, tickets voided) go one by one. */
const BATCHED = new Set(["payment_pending", "failed"] as const);
type Batched = typeof BATCHED extends Set<infer T> ? T : never;
const isBatched = (target: string | undefined): target is Batched => BATCHED.has(target as Batched);

/**
 * The payment events that arrived together, with one statement per target: in a flash sale
 * every pay starts with a `pending` event, and one at a time each cost the order service a
 * transaction of four round trips. A batch holding a refund is handled event by event, in
 * stream order, as `handle` does. An event naming an order that does not exist fails the batch,
 * which is then settled event by event (that one retried, then parked).
 */
export function createPaymentEventBatchHandler(deps: { bus: Bus; sql: Db["sql"]; handleOne: (event: PaymentEvent, trace: TraceContext) => Promise<void>; clock: () => number }) {
  return async function handleBatch(items: BatchItem<PaymentEvent>[]): Promise<void> {
    const targets = items.map((item) => targetOfPayment(item.value.status));
    if (!targets.every((target) => target === undefined || isBatched(target))) {
      for (const { value, trace } of items) await deps.handleOne(value, trace);
      return;
    }
    // A decline after a start moves on from where the start left it: the starts go first.
    const moves: { target: Batched; group: BatchItem<PaymentEvent>[]; moved: Map<string, Transition> }[] = [];
    for (const target of BATCHED) {
      const group = items.filter((_, i) => targets[i] === target);
      if (group.length === 0) continue;
      const moved = new Map((await moveMany(deps.sql, group.map((item) => item.value.orderId), target, new Date(deps.clock()))).map((t) => [t.order.id, t]));
      const unknown = group.find((item) => !moved.has(item.value.orderId));
      if (unknown) throw new Error(`payment ${unknown.value.paymentId} names unknown order ${unknown.value.orderId}`);
      moves.push({ target, group, moved });
    }
    // Announced once every move is done: a batch that fails does so before anything went out.
    const publishes: Promise<void>[] = [];
    for (const { target, group, moved } of moves) {
      // Once per order, as redelivered alone: the event again if the order is where it points.
      const announced = new Set<string>();
      for (const { value, trace } of group) {
        const transition = moved.get(value.orderId)!;
        if (announced.has(value.orderId) || !(transition.changed || transition.order.status === target)) continue;
        announced.add(value.orderId);
        publishes.push(publishOrderStatus(deps.bus, transition.order, transition.previous, trace));
      }
    }
    await Promise.all(publishes);
  };
}

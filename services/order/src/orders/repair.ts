import type { Bus } from "@rush/bus";
import type { OrderStatus } from "@rush/contracts";
import { type Logger, runEvery } from "@rush/service";
import type { TicketStore } from "../tickets/ticket-store.ts";
import { publishOrderStatus } from "./order-events.ts";
import type { OrderStore } from "./order-store.ts";
import type { RepairStore, Unrepaired } from "./repair-store.ts";

export interface RepairDeps {
  bus: Bus;
  orders: OrderStore;
  tickets: TicketStore;
  repairs: RepairStore;
  logger: Logger;
  everyMs: number;
  /** Payments changed more recently than this are left to the normal flow (their events may be on the way). */
  graceMs: number;
  /** How far back the pass looks. */
  lookbackMs: number;
  batch?: number;
  onRepaired?: (kind: "completed" | "refund" | "status") => void;
  onDoubleSale?: (seatIds: string[]) => void;
  clock?: () => number;
}

/** Where a payment's outcome points its order. */
const TARGET: Record<Unrepaired["paymentStatus"], OrderStatus> = { succeeded: "completed", failed: "failed", refunded: "refunded" };

/**
 * The repair pass: whatever happened to the seat and payment events (a database outage longer
 * than the consumer's retries, a message parked in the dead-letter stream, a bug), a buyer whose
 * payment bought seats gets their tickets and a completed order, and an order shows how its
 * payment ended. It reads the database, not the streams, so it works whatever became of the
 * messages. A seat that already has another order's ticket (a double sale the engine should
 * never make) cannot be ticketed: that payment goes back to the payment service to refund.
 * Every step is idempotent, so instances may run it at once.
 */
export function startRepairPass(deps: RepairDeps) {
  const { orders, tickets, repairs, bus, logger } = deps;
  const clock = deps.clock ?? Date.now;

  async function repair(row: Unrepaired): Promise<void> {
    const order = await orders.find(row.orderId);
    if (!order) return;
    if (row.paymentStatus === "succeeded") {
      const { conflicts } = await tickets.issue(order, await repairs.seatsOf(order.id));
      if (conflicts.length > 0) {
        logger.error({ orderId: order.id, paymentId: row.paymentId, seats: conflicts }, "repair: seats sold twice; refunding the later payment");
        deps.onDoubleSale?.(conflicts);
        if (await repairs.owedRefund(row.paymentId, "double_sale")) deps.onRepaired?.("refund");
        return;
      }
    }
    const target = TARGET[row.paymentStatus];
    const transition = await orders.moveTo(order.id, target);
    if (transition && (transition.changed || transition.order.status === target)) await publishOrderStatus(bus, transition.order, transition.previous);
    logger.warn({ orderId: order.id, paymentId: row.paymentId, paymentStatus: row.paymentStatus, status: transition?.order.status }, "repair: order brought in line with its payment");
    deps.onRepaired?.(row.paymentStatus === "succeeded" ? "completed" : "status");
  }

  const pass = async (stopping: () => boolean) => {
    const now = clock();
    const due = await repairs.unrepaired({ after: new Date(now - deps.lookbackMs), before: new Date(now - deps.graceMs), limit: deps.batch ?? 200 });
    for (const row of due) {
      if (stopping()) return;
      try {
        await repair(row);
      } catch (error) {
        // One order that cannot be repaired now does not hold back the others; the next pass tries again.
        logger.warn({ orderId: row.orderId, paymentId: row.paymentId, err: error }, "repair failed; will retry");
      }
    }
  };
  return runEvery(deps.everyMs, pass, (error) => logger.warn({ err: error }, "repair pass failed; will retry"));
}

import type { PaymentStatus } from "@rush/contracts";
import { type Database, orderItems, paymentEvents, payments } from "@rush/db";
import { and, eq, sql } from "drizzle-orm";

/** A paid (or ended) payment whose order does not show it: what the repair pass fixes. */
export interface Unrepaired {
  orderId: string;
  paymentId: string;
  paymentStatus: Extract<PaymentStatus, "succeeded" | "failed" | "refunded">;
}

export interface RepairStore {
  /**
   * Oldest first, among payments last changed between `after` and `before`: seats sold to a
   * settled payment whose order is not completed or lacks a ticket for a seat; failed or
   * refunded payments whose order does not say so.
   */
  unrepaired(query: { after: Date; before: Date; limit: number }): Promise<Unrepaired[]>;
  seatsOf(orderId: string): Promise<string[]>;
  /** Hands a settled payment back to the payment service's reconciler to refund (`refund_pending`); false if it had moved on. */
  owedRefund(paymentId: string, reason: string): Promise<boolean>;
}

export function createRepairStore(db: Database): RepairStore {
  return {
    async unrepaired({ after, before, limit }) {
      // Instants as ISO text: postgres.js through drizzle's sql`` does not serialize a Date parameter.
      // payments_unsettled_idx (status, updated_at) bounds the scan; the seat checks use
      // order_items' key and tickets' UNIQUE(session_id, seat_id) WHERE status <> 'void' — so the
      // first ticket check must say `status <> 'void'` too: without it the planner hashed the
      // session's whole tickets table once per order (5.2 s a pass at 1,846 paid orders, 95 ms with).
      // A seat is missing its ticket if it has no live one and this order never had one (a ticket
      // resold or refunded away leaves this order's own, void: nothing to repair there).
      const rows = await db.execute<{ order_id: string; payment_id: string; payment_status: Unrepaired["paymentStatus"] }>(sql`
        select o.id as order_id, p.id as payment_id, p.status as payment_status
        from payments p join orders o on o.id = p.order_id
        where p.status in ('succeeded', 'failed', 'refunded')
          and p.updated_at > ${after.toISOString()}::timestamptz and p.updated_at < ${before.toISOString()}::timestamptz
          and (
            (p.status = 'succeeded' and p.settled_at is not null
              and exists (select 1 from payment_events e where e.payment_id = p.id and e.detail->>'seats' = 'sold')
              and (o.status <> 'completed' or exists (
                select 1 from order_items i where i.order_id = o.id
                  and not exists (select 1 from tickets t where t.session_id = o.session_id and t.seat_id = i.seat_id and t.status <> 'void')
                  and not exists (select 1 from tickets v where v.order_id = o.id and v.seat_id = i.seat_id))))
            or (p.status = 'failed' and o.status in ('created', 'payment_pending', 'expired'))
            or (p.status = 'refunded' and o.status in ('created', 'payment_pending', 'expired', 'failed'))
          )
        order by p.updated_at, p.id
        limit ${limit}`);
      return [...rows].map((r) => ({ orderId: r.order_id, paymentId: r.payment_id, paymentStatus: r.payment_status }));
    },

    async seatsOf(orderId) {
      return (await db.select({ seatId: orderItems.seatId }).from(orderItems).where(eq(orderItems.orderId, orderId))).map((r) => r.seatId);
    },

    async owedRefund(paymentId, reason) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(payments)
          .set({ status: "refund_pending", reason, updatedAt: new Date() })
          .where(and(eq(payments.id, paymentId), eq(payments.status, "succeeded")))
          .returning({ id: payments.id });
        if (row) await tx.insert(paymentEvents).values({ paymentId, status: "refund_pending", detail: { from: ["succeeded"], reason, by: "order-repair" } });
        return row !== undefined;
      });
    },
  };
}

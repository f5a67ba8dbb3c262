import { OrderStatus } from "@rush/contracts";
import type { Db } from "@rush/db";
import { nextStatus } from "./order-state.ts";
import type { OrderRow, Transition } from "./order-store.ts";

/** An order row as a raw statement returns it (camelCase aliases), with where it moved to, if it did. */
export interface MovedRow {
  id: string;
  holdId: string;
  sessionId: string;
  buyerId: string;
  status: OrderRow["status"];
  kind: OrderRow["kind"];
  totalAmount: string;
  currency: string;
  expiresAt: string;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  newStatus: OrderRow["status"] | null;
  newUpdatedAt: string | null;
}

/** The order as it is after the statement: moved or not. */
export const orderOfRow = (row: MovedRow): OrderRow => ({
  id: row.id,
  holdId: row.holdId,
  sessionId: row.sessionId,
  buyerId: row.buyerId,
  status: row.newStatus ?? row.status,
  kind: row.kind,
  totalAmount: row.totalAmount,
  currency: row.currency,
  expiresAt: new Date(row.expiresAt),
  reason: row.reason,
  createdAt: new Date(row.createdAt),
  updatedAt: new Date(row.newUpdatedAt ?? row.updatedAt),
});

/** Every status the state machine lets move to `target`. */
export const statusesMovingTo = (target: OrderStatus): string[] => OrderStatus.options.filter((status) => nextStatus(status, target) === target);

/**
 * Moves every named order toward `target` in ONE statement, where the state machine allows, as
 * `moveTo` does for one order in four round trips (begin, lock, update, commit). For targets
 * that keep no reason (`payment_pending`, `failed`): a refund's reason and its tickets' voiding
 * stay with `moveTo`. Orders that do not exist are not in the answer.
 */
export async function moveMany(sql: Db["sql"], orderIds: readonly string[], target: "payment_pending" | "failed", now: Date): Promise<Transition[]> {
  if (orderIds.length === 0) return [];
  // Text, not Date: drizzle's driver replaces postgres.js's timestamp serializers with pass-through.
  const rows = await sql<MovedRow[]>`
    with target as (
      select * from orders where id = any(${sql.array([...new Set(orderIds)])}::uuid[]) order by id for update
    ), moved as (
      update orders o set status = ${target}, updated_at = ${now.toISOString()}::timestamptz
      from target t
      where o.id = t.id and t.status = any(${sql.array(statusesMovingTo(target))}::text[])
      returning o.id, o.status, o.updated_at
    )
    select t.id, t.hold_id as "holdId", t.session_id as "sessionId", t.buyer_id as "buyerId", t.status, t.kind,
           t.total_amount as "totalAmount", t.currency, t.expires_at as "expiresAt", t.reason,
           t.created_at as "createdAt", t.updated_at as "updatedAt",
           m.status as "newStatus", m.updated_at as "newUpdatedAt"
    from target t left join moved m on m.id = t.id`;
  return rows.map((row) => ({ order: orderOfRow(row), previous: row.newStatus === null ? null : row.status, changed: row.newStatus !== null }));
}

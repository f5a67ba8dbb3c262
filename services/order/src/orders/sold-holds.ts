import type { Bus, TraceContext } from "@rush/bus";
import type { Db } from "@rush/db";
import type { Logger } from "@rush/service";
import { publishOrderStatus } from "./order-events.ts";
import { ticketIdFor } from "../tickets/ticket-store.ts";
import { type MovedRow, orderOfRow, statusesMovingTo } from "./moved-orders.ts";
import type { OrderRow } from "./order-store.ts";

/** A sold hold's order and seats: what `SeatsSold` asks of the order service. */
export interface Sale {
  orderId: string;
  seatIds: readonly string[];
}

/** What became of one sale's order: as `moveTo` answers, plus the seats another order's ticket refused. */
export interface SaleOutcome {
  order: OrderRow;
  previous: OrderRow["status"];
  changed: boolean;
  conflicts: string[];
}

/** Every status the state machine lets move to `completed` (a payment may land after its hold's expiry event). */
export const COMPLETABLE: readonly string[] = statusesMovingTo("completed");

interface Row extends MovedRow {
  missing: string[] | null;
}

/**
 * The sales of a whole batch in ONE statement (one transaction): the orders are locked, each
 * gets a ticket per sold seat and moves to `completed` where the state machine allows, the way
 * `tickets.issue` then `orders.moveTo` do it for one sale in seven round trips. In a flash sale
 * every pay ends in a SeatsSold; one at a time, they made the order service trail the grants by
 * seconds, and a pay waiting for its order gave up (503 `order_pending`).
 *
 * A seat whose ticket is not this order's after the statement was refused by
 * `UNIQUE(session_id, seat_id)`: another order has it (a double sale upstream; never expected).
 * Sales whose order does not exist yet are not in the answer: the caller opens them one by one.
 */
export async function sellMany(sql: Db["sql"], sales: readonly Sale[], now: Date): Promise<SaleOutcome[]> {
  if (sales.length === 0) return [];
  const orderIds = sales.map((sale) => sale.orderId);
  const ticketIds: string[] = [];
  const ticketOrders: string[] = [];
  const ticketSeats: string[] = [];
  for (const sale of sales) {
    for (const seatId of sale.seatIds) {
      ticketIds.push(ticketIdFor(sale.orderId, seatId));
      ticketOrders.push(sale.orderId);
      ticketSeats.push(seatId);
    }
  }
  // Text, not Date: drizzle's driver replaces postgres.js's timestamp serializers with pass-through.
  const at = now.toISOString();
  const rows = await sql<Row[]>`
    with target as (
      select * from orders where id = any(${sql.array(orderIds)}::uuid[]) order by id for update
    ), wanted as (
      select w.id, w.order_id, w.seat_id, t.session_id, t.buyer_id
      from unnest(${sql.array(ticketIds)}::uuid[], ${sql.array(ticketOrders)}::uuid[], ${sql.array(ticketSeats)}::text[]) as w(id, order_id, seat_id)
      join target t on t.id = w.order_id
    ), issued as (
      insert into tickets (id, order_id, session_id, seat_id, owner_id)
      select id, order_id, session_id, seat_id, buyer_id from wanted
      on conflict do nothing
      returning id
    ), moved as (
      update orders o set status = 'completed', updated_at = ${at}::timestamptz
      from target t
      where o.id = t.id and t.status = any(${sql.array([...COMPLETABLE])}::text[])
      returning o.id, o.status, o.updated_at
    )
    select t.id, t.hold_id as "holdId", t.session_id as "sessionId", t.buyer_id as "buyerId", t.status, t.kind,
           t.total_amount as "totalAmount", t.currency, t.expires_at as "expiresAt", t.reason,
           t.created_at as "createdAt", t.updated_at as "updatedAt",
           m.status as "newStatus", m.updated_at as "newUpdatedAt",
           (select array_agg(w.seat_id) from wanted w
             where w.order_id = t.id
               and w.id not in (select id from issued)
               and not exists (select 1 from tickets k where k.id = w.id)) as missing
    from target t left join moved m on m.id = t.id`;
  return rows.map((row) => ({ order: orderOfRow(row), previous: row.status, changed: row.newStatus !== null, conflicts: row.missing ?? [] }));
}

/**
 * What a sale's outcome tells the world: a refused seat is an alarm (the engine sold it twice;
 * never hidden), and a completed order its `order.completed`, published again on redelivery
 * (deduplicated by msg-id: the first attempt may have failed after the commit).
 */
export function announceSale(
  deps: { bus: Bus; logger: Pick<Logger, "error">; onDoubleSale?: (seatIds: string[]) => void },
  { order, previous, changed, conflicts }: SaleOutcome,
  holdId: string,
  trace: TraceContext | undefined,
): Promise<void> | undefined {
  if (conflicts.length > 0) {
    deps.logger.error({ orderId: order.id, holdId, seats: conflicts }, "double sale refused by UNIQUE(session_id, seat_id)");
    deps.onDoubleSale?.(conflicts);
  }
  return changed || order.status === "completed" ? publishOrderStatus(deps.bus, order, changed ? previous : null, trace) : undefined;
}

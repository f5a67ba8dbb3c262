import type { Money, OrderStatus } from "@rush/contracts";
import type { Db } from "@rush/db";

/** One order to open: a granted hold, priced. */
export interface OrderToOpen {
  orderId: string;
  holdId: string;
  buyerId: string;
  sessionId: string;
  seatIds: readonly string[];
  expiresAt: number;
  price: Money;
  total: Money;
}

/** An order as the order service reads and publishes it (the drizzle row's shape). */
export interface OpenedOrder {
  id: string;
  holdId: string;
  sessionId: string;
  buyerId: string;
  status: OrderStatus;
  kind: "sale" | "resale";
  totalAmount: string;
  currency: string;
  expiresAt: Date;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The orders and their items of a whole batch of granted holds in ONE statement: the rows travel
 * as one array per column (`unnest`), so the statement text and its types never change and
 * postgres.js prepares it once per connection; the items go in only for the orders this statement
 * created (a redelivered hold adds nothing), and one statement is one transaction. Returns the ids
 * it created. Hot path of a flash sale: drizzle's builder and a row object per value cost more
 * CPU here than PostgreSQL's work.
 */
export async function insertOrders(sql: Db["sql"], many: readonly OrderToOpen[], now: Date): Promise<Set<string>> {
  const ids: string[] = [];
  const holds: string[] = [];
  const sessions: string[] = [];
  const buyers: string[] = [];
  const totals: string[] = [];
  const currencies: string[] = [];
  const expiries: string[] = [];
  const itemOrders: string[] = [];
  const itemSeats: string[] = [];
  const itemAmounts: string[] = [];
  const itemCurrencies: string[] = [];
  for (const order of many) {
    ids.push(order.orderId);
    holds.push(order.holdId);
    sessions.push(order.sessionId);
    buyers.push(order.buyerId);
    totals.push(order.total.amount);
    currencies.push(order.total.currency);
    expiries.push(new Date(order.expiresAt).toISOString());
    for (const seatId of order.seatIds) {
      itemOrders.push(order.orderId);
      itemSeats.push(seatId);
      itemAmounts.push(order.price.amount);
      itemCurrencies.push(order.price.currency);
    }
  }
  // Text, not Date: drizzle's driver replaces postgres.js's timestamp serializers with pass-through.
  const at = now.toISOString();
  const rows = await sql<{ id: string }[]>`
    with created as (
      insert into orders (id, hold_id, session_id, buyer_id, status, total_amount, currency, expires_at, created_at, updated_at)
      select id, hold_id, session_id, buyer_id, 'created', total_amount, currency, expires_at, ${at}::timestamptz, ${at}::timestamptz
      from unnest(${sql.array(ids)}::uuid[], ${sql.array(holds)}::uuid[], ${sql.array(sessions)}::uuid[], ${sql.array(buyers)}::uuid[],
                  ${sql.array(totals)}::numeric[], ${sql.array(currencies)}::text[], ${sql.array(expiries)}::timestamptz[])
        as t(id, hold_id, session_id, buyer_id, total_amount, currency, expires_at)
      on conflict do nothing
      returning id
    ), items as (
      insert into order_items (order_id, seat_id, amount, currency)
      select i.order_id, i.seat_id, i.amount, i.currency
      from unnest(${sql.array(itemOrders)}::uuid[], ${sql.array(itemSeats)}::text[], ${sql.array(itemAmounts)}::numeric[], ${sql.array(itemCurrencies)}::text[])
        as i(order_id, seat_id, amount, currency)
      where i.order_id in (select id from created)
    )
    select id from created`;
  return new Set(rows.map((row) => row.id));
}

/** The row `insertOrders` wrote for `order`, without reading it back. */
export function openedRow(order: OrderToOpen, now: Date): OpenedOrder {
  return {
    id: order.orderId,
    holdId: order.holdId,
    sessionId: order.sessionId,
    buyerId: order.buyerId,
    status: "created",
    kind: "sale",
    totalAmount: order.total.amount,
    currency: order.total.currency,
    expiresAt: new Date(order.expiresAt),
    reason: null,
    createdAt: now,
    updatedAt: now,
  };
}

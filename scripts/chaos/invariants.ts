import type { Db } from "@rush/db";
import type { Api } from "./client.ts";

/** The invariants, checked after the run settles; each returns its violations. */
export async function checkInvariants(sql: Db["sql"], api: Api, token: string, sessionId: string) {
  const money = await moneyInvariants(sql, sessionId);
  const map = await api("GET", `/v1/sessions/${sessionId}/seats`, { token });
  const areas = (map.body.areas ?? []) as { seats: { status: string }[] }[];
  const soldOnMap = areas.reduce((n, a) => n + a.seats.filter((s) => s.status === "sold").length, 0);
  return { ...money, soldOnMap, mapMatchesTickets: soldOnMap === money.tickets };
}

/** What PostgreSQL alone says: no seat in two completed orders; paid ⇒ one ticket per seat, or refunded. */
export async function moneyInvariants(sql: Db["sql"], sessionId: string) {
  const doubleSold = await sql`
    select oi.seat_id, count(*)::int as orders from order_items oi join orders o on o.id = oi.order_id
    where o.session_id = ${sessionId} and o.status = 'completed' group by oi.seat_id having count(*) > 1`;
  // Paid = the provider took the money. Then the order completed with one ticket per seat, or it was refunded.
  const paidNotDone = await sql`
    select p.id, p.status as payment, o.status as order from payments p join orders o on o.id = p.order_id
    where o.session_id = ${sessionId} and p.status in ('succeeded', 'refund_pending') and o.status <> 'completed'`;
  const ticketsShort = await sql`
    select o.id, count(distinct oi.seat_id)::int as seats, count(distinct t.seat_id)::int as tickets
    from orders o join order_items oi on oi.order_id = o.id left join tickets t on t.order_id = o.id
    where o.session_id = ${sessionId} and o.status = 'completed' group by o.id
    having count(distinct oi.seat_id) <> count(distinct t.seat_id)`;
  const [{ tickets }] = (await sql`select count(*)::int as tickets from tickets where session_id = ${sessionId}`) as unknown as [{ tickets: number }];
  return {
    doubleSold: doubleSold.length,
    paidWithoutTicketsOrRefund: paidNotDone.length,
    completedWithWrongTicketCount: ticketsShort.length,
    tickets,
  };
}

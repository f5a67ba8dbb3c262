import postgres from "postgres";

export interface Audit {
  /** Seats in two live orders (two holds) of the session at once (a released hold's order turns `expired`). */
  doubleGranted: string[];
  /** Orders whose payment succeeded but that have no ticket for one of their seats (and were not refunded). */
  paidWithoutTickets: string[];
  ticketsIssued: number;
}

/**
 * The sale's invariants, checked where they must hold: in PostgreSQL, after the run. Payments
 * still settling get `settleMs` to turn into tickets before they count as lost.
 */
export async function auditSale(databaseUrl: string, sessionId: string, settleMs = 60_000): Promise<Audit> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "rush-loadtest-audit" } });
  try {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const doubles = await sql<{ seat_id: string }[]>`
        select oi.seat_id from order_items oi join orders o on o.id = oi.order_id
        where o.session_id = ${sessionId} and o.status in ('created', 'payment_pending', 'completed')
        group by oi.seat_id having count(*) > 1`;
      const unticketed = await sql<{ id: string }[]>`
        select distinct o.id from orders o
        join payments p on p.order_id = o.id and p.status = 'succeeded'
        join order_items oi on oi.order_id = o.id
        left join tickets t on t.order_id = o.id and t.seat_id = oi.seat_id
        where o.session_id = ${sessionId} and o.status <> 'refunded' and t.id is null`;
      const [issued] = await sql<{ n: number }[]>`select count(*)::int as n from tickets where session_id = ${sessionId}`;
      if ((unticketed.length === 0 && doubles.length === 0) || Date.now() >= deadline) {
        return { doubleGranted: doubles.map((r) => r.seat_id), paidWithoutTickets: unticketed.map((r) => r.id), ticketsIssued: issued?.n ?? 0 };
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

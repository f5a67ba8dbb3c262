import type { Db } from "@rush/db";

/** An extended hold's order and its new expiry. */
export interface Extension {
  orderId: string;
  expiresAt: number;
}

/**
 * `orders.extend` for a whole batch in one statement: every pay stretches its hold first, so a
 * flash sale brings one HoldExtended per pay, and one round trip each was a share of what kept
 * the order service behind the grants. Same rule as one by one: only a live order's expiry
 * moves, and only later (the latest of an order's extensions in the batch wins).
 */
export async function extendMany(sql: Db["sql"], extensions: readonly Extension[], now: Date): Promise<void> {
  const latest = new Map<string, number>();
  for (const { orderId, expiresAt } of extensions) latest.set(orderId, Math.max(expiresAt, latest.get(orderId) ?? expiresAt));
  if (latest.size === 0) return;
  const ids = [...latest.keys()];
  // Text, not Date: drizzle's driver replaces postgres.js's timestamp serializers with pass-through.
  const expiries = ids.map((id) => new Date(latest.get(id)!).toISOString());
  await sql`
    update orders o set expires_at = v.expires_at, updated_at = ${now.toISOString()}::timestamptz
    from unnest(${sql.array(ids)}::uuid[], ${sql.array(expiries)}::timestamptz[]) as v(id, expires_at)
    where o.id = v.id and o.status in ('created', 'payment_pending') and o.expires_at < v.expires_at`;
}

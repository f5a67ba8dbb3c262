import { type Database, orders, payments, resaleListings } from "@rush/db";
import { and, asc, eq, gt, inArray, isNotNull, lt, notInArray, sql } from "drizzle-orm";

/** A sold listing whose seller is still owed the face value, with the payment it goes back to. */
export interface DuePayout {
  listingId: string;
  amount: string;
  currency: string;
  payoutStatus: "pending" | "failed" | "refunded";
  updatedAt: Date;
  payment: typeof payments.$inferSelect;
}

/**
 * What the payment service reads and writes of resale listings: the reservation a pay keeps
 * alive, and the seller's payout (a partial refund of the payment that bought the ticket).
 */
export function createResalePaymentStore(db: Database) {
  return {
    /**
     * Keeps a resale order's listing reserved while its money moves, as `ExtendHold` keeps a hold;
     * false when its window is already over (another buyer may have it now): nothing is charged.
     */
    async extend(orderId: string, until: Date, now: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(resaleListings)
          .set({ reservedUntil: sql`greatest(${resaleListings.reservedUntil}, ${until.toISOString()}::timestamptz)`, updatedAt: now })
          .where(and(eq(resaleListings.orderId, orderId), eq(resaleListings.status, "listed"), gt(resaleListings.reservedUntil, now)))
          .returning({ reservedUntil: resaleListings.reservedUntil });
        if (!row) return false;
        await tx.update(orders).set({ expiresAt: row.reservedUntil!, updatedAt: now }).where(and(eq(orders.id, orderId), lt(orders.expiresAt, row.reservedUntil!)));
        return true;
      });
    },

    /** A declined payment gives its listing back at once instead of at the end of its window. */
    async release(orderId: string, now: Date): Promise<void> {
      await db
        .update(resaleListings)
        .set({ reservedUntil: now, updatedAt: now })
        .where(and(eq(resaleListings.orderId, orderId), eq(resaleListings.status, "listed")));
    },

    /** What the seller of tickets of this order was (or is being) paid back by resales, in the payment's decimal. */
    async paidOut(sellerOrderId: string): Promise<string> {
      const [row] = await db
        .select({ total: sql<string>`coalesce(sum(${resaleListings.amount}), 0)::text` })
        .from(resaleListings)
        .where(and(eq(resaleListings.sellerOrderId, sellerOrderId), isNotNull(resaleListings.payoutStatus)));
      return row?.total ?? "0";
    },

    /** Payouts not finished, untouched since `before`, oldest first. */
    async due(before: Date, limit: number, skip: readonly string[] = []): Promise<DuePayout[]> {
      const rows = await db
        .select({ listing: resaleListings, payment: payments })
        .from(resaleListings)
        .innerJoin(payments, eq(payments.orderId, resaleListings.sellerOrderId))
        .where(
          and(
            inArray(resaleListings.payoutStatus, ["pending", "failed"]),
            lt(resaleListings.updatedAt, before),
            skip.length > 0 ? notInArray(resaleListings.id, [...skip]) : undefined,
          ),
        )
        .orderBy(asc(resaleListings.updatedAt), asc(resaleListings.id))
        .limit(limit);
      return rows.map(({ listing, payment }) => ({
        listingId: listing.id,
        amount: listing.amount,
        currency: listing.currency,
        payoutStatus: listing.payoutStatus!,
        updatedAt: listing.updatedAt,
        payment,
      }));
    },

    /** One payout, if it still needs paying. */
    async find(listingId: string): Promise<DuePayout | undefined> {
      const [row] = await db
        .select({ listing: resaleListings, payment: payments })
        .from(resaleListings)
        .innerJoin(payments, eq(payments.orderId, resaleListings.sellerOrderId))
        .where(eq(resaleListings.id, listingId));
      if (!row?.listing.payoutStatus) return undefined;
      const { listing, payment } = row;
      return { listingId, amount: listing.amount, currency: listing.currency, payoutStatus: listing.payoutStatus!, updatedAt: listing.updatedAt, payment };
    },

    /**
     * Takes a payout to pay it now: one conditional update, so of two instances (or a reconciler
     * pass and the sale itself) only one calls the provider.
     */
    async claim(listingId: string, seen: Date, now: Date): Promise<boolean> {
      const rows = await db
        .update(resaleListings)
        .set({ updatedAt: now })
        .where(and(eq(resaleListings.id, listingId), inArray(resaleListings.payoutStatus, ["pending", "failed"]), eq(resaleListings.updatedAt, seen)))
        .returning({ id: resaleListings.id });
      return rows.length > 0;
    },

    async finish(listingId: string, outcome: { status: "refunded" } | { status: "failed"; error: string }, now: Date): Promise<void> {
      await db
        .update(resaleListings)
        .set({ payoutStatus: outcome.status, payoutError: outcome.status === "failed" ? outcome.error : null, updatedAt: now })
        .where(and(eq(resaleListings.id, listingId), inArray(resaleListings.payoutStatus, ["pending", "failed"])));
    },
  };
}

export type ResalePaymentStore = ReturnType<typeof createResalePaymentStore>;

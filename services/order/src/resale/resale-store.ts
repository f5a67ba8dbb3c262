import { randomUUID } from "node:crypto";
import { type Database, orderItems, orders, payments, resaleListings, sessions, tickets } from "@rush/db";
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { normalizeAmount } from "../orders/money.ts";
import type { OrderRow } from "../orders/order-store.ts";
import { ticketIdFor } from "../tickets/ticket-store.ts";
import { type BuyDecision, decideBuy, decideConfirm, decideWithdraw, type ListingRefusal, type ListingState, listingRefusal } from "./resale-rules.ts";

export type ListingRow = typeof resaleListings.$inferSelect;
type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type ListOutcome = { outcome: "listed"; listing: ListingRow } | { outcome: "refused"; reason: ListingRefusal };
export type BuyOutcome =
  | { outcome: "reserved"; listing: ListingRow; order: OrderRow; abandoned: OrderRow | undefined }
  | { outcome: "mine"; listing: ListingRow; order: OrderRow }
  | { outcome: "refused"; reason: Extract<BuyDecision, { outcome: "refused" }>["reason"] | "not_found" | "session_closed" };
export type WithdrawOutcome = { outcome: "withdrawn"; abandoned: OrderRow | undefined } | { outcome: "refused"; reason: "not_listed" | "reserved" };
export type ConfirmOutcome =
  | { outcome: "sold"; listing: ListingRow; order: OrderRow; previous: OrderRow["status"] | null; fresh: boolean }
  | { outcome: "rejected"; reason: string };

const stateOf = (l: ListingRow, reservedBy: string | null): ListingState => ({
  status: l.status,
  sellerId: l.sellerId,
  orderId: l.orderId,
  reservedUntil: l.reservedUntil?.getTime() ?? null,
  reservedBy,
});

/** Expires an abandoned resale order that never started paying (its listing went to someone else, or back to its seller). */
async function expireAbandoned(tx: Tx, orderId: string | null, at: Date): Promise<OrderRow | undefined> {
  if (!orderId) return undefined;
  const [row] = await tx
    .update(orders)
    .set({ status: "expired", updatedAt: at })
    .where(and(eq(orders.id, orderId), eq(orders.status, "created"), sql`not exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id})`))
    .returning();
  return row;
}

async function buyerOf(tx: Tx, orderId: string | null): Promise<string | null> {
  if (!orderId) return null;
  const [row] = await tx.select({ buyerId: orders.buyerId }).from(orders).where(eq(orders.id, orderId));
  return row?.buyerId ?? null;
}

/**
 * Listings and resale orders in PostgreSQL. Each decision runs in one transaction that locks
 * the row it is about (the ticket to list it, as a transfer does; the listing to buy, withdraw
 * or sell it), so concurrent requests are decided one after another.
 */
export function createResaleStore(db: Database, holdMs: number) {
  return {
    async list(ticketId: string, callerId: string, now: Date): Promise<ListOutcome> {
      return db.transaction(async (tx): Promise<ListOutcome> => {
        const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
        if (!ticket) return { outcome: "refused", reason: "not_found" };
        const [order] = await tx.select().from(orders).where(eq(orders.id, ticket.orderId));
        const [payment] = await tx.select().from(payments).where(eq(payments.orderId, ticket.orderId));
        const [session] = await tx.select().from(sessions).where(eq(sessions.id, ticket.sessionId));
        const [live] = await tx.select({ id: resaleListings.id }).from(resaleListings).where(and(eq(resaleListings.ticketId, ticketId), eq(resaleListings.status, "listed")));
        const [item] = await tx.select().from(orderItems).where(and(eq(orderItems.orderId, ticket.orderId), eq(orderItems.seatId, ticket.seatId)));
        const refusal = listingRefusal({
          callerId,
          ticket,
          order: { buyerId: order!.buyerId, status: order!.status },
          payment: payment ? { status: payment.status, settled: payment.settledAt !== null } : undefined,
          session: { status: session!.status, startsAt: session!.startsAt.getTime() },
          listed: live !== undefined,
          now: now.getTime(),
        });
        if (refusal) return { outcome: "refused", reason: refusal };
        if (!item) return { outcome: "refused", reason: "order_not_completed" };
        const [listing] = await tx
          .insert(resaleListings)
          .values({
            ticketId,
            ticketVersion: ticket.version,
            sellerId: callerId,
            sellerOrderId: ticket.orderId,
            sessionId: ticket.sessionId,
            seatId: ticket.seatId,
            // The face value the seller paid for this seat: the API takes no price.
            amount: normalizeAmount(item.amount),
            currency: item.currency,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        return { outcome: "listed", listing: listing! };
      });
    },

    async withdraw(ticketId: string, sellerId: string, now: Date): Promise<WithdrawOutcome> {
      return db.transaction(async (tx): Promise<WithdrawOutcome> => {
        const [listing] = await tx
          .select()
          .from(resaleListings)
          .where(and(eq(resaleListings.ticketId, ticketId), eq(resaleListings.sellerId, sellerId), eq(resaleListings.status, "listed")))
          .for("update");
        const decision = decideWithdraw(listing && stateOf(listing, null), now.getTime());
        if (decision.outcome === "refused") return decision;
        await tx.update(resaleListings).set({ status: "withdrawn", updatedAt: now }).where(eq(resaleListings.id, listing!.id));
        return { outcome: "withdrawn", abandoned: await expireAbandoned(tx, decision.abandonedOrderId, now) };
      });
    },

    async buy(listingId: string, buyerId: string, now: Date): Promise<BuyOutcome> {
      return db.transaction(async (tx): Promise<BuyOutcome> => {
        const [listing] = await tx.select().from(resaleListings).where(eq(resaleListings.id, listingId)).for("update");
        if (!listing) return { outcome: "refused", reason: "not_found" };
        const decision = decideBuy(stateOf(listing, await buyerOf(tx, listing.orderId)), buyerId, now.getTime());
        if (decision.outcome === "refused") return decision;
        if (decision.outcome === "mine") {
          const [order] = await tx.select().from(orders).where(eq(orders.id, decision.orderId));
          return { outcome: "mine", listing, order: order! };
        }
        const [session] = await tx.select().from(sessions).where(eq(sessions.id, listing.sessionId));
        if (!session || session.status === "cancelled" || session.startsAt <= now) return { outcome: "refused", reason: "session_closed" };
        // The seller's order refunded meanwhile voided the ticket: nothing to sell (the sale would be refused and refunded).
        const [ticket] = await tx.select({ status: tickets.status, version: tickets.version }).from(tickets).where(eq(tickets.id, listing.ticketId));
        if (ticket?.status !== "valid" || ticket.version !== listing.ticketVersion) return { outcome: "refused", reason: "gone" };
        const until = new Date(now.getTime() + holdMs);
        const orderId = randomUUID();
        const [order] = await tx
          .insert(orders)
          .values({
            id: orderId,
            // No seat hold stands behind a resale order; the column is unique, so it gets an id of its own.
            holdId: randomUUID(),
            kind: "resale",
            sessionId: listing.sessionId,
            buyerId,
            totalAmount: listing.amount,
            currency: listing.currency,
            expiresAt: until,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.insert(orderItems).values({ orderId, seatId: listing.seatId, amount: listing.amount, currency: listing.currency });
        const [reserved] = await tx
          .update(resaleListings)
          .set({ orderId, reservedUntil: until, updatedAt: now })
          .where(eq(resaleListings.id, listingId))
          .returning();
        return { outcome: "reserved", listing: reserved!, order: order!, abandoned: await expireAbandoned(tx, decision.abandonedOrderId, now) };
      });
    },

    /**
     * The resale itself, once its payment was taken: in one transaction the old ticket is voided
     * (`resold`), the buyer's ticket issued, the order completed and the seller's payout started
     * (`payout_status = pending`, which the payment service's reconciler carries to the end).
     */
    async confirm(orderId: string, now: Date): Promise<ConfirmOutcome> {
      return db.transaction(async (tx): Promise<ConfirmOutcome> => {
        const [listing] = await tx.select().from(resaleListings).where(eq(resaleListings.orderId, orderId)).for("update");
        const [ticket] = listing ? await tx.select().from(tickets).where(eq(tickets.id, listing.ticketId)).for("update") : [];
        // The seller's payment must still be settled: a refund of that order asked for meanwhile wins, and this money goes back.
        const [sellerPayment] = listing ? await tx.select().from(payments).where(eq(payments.orderId, listing.sellerOrderId)).for("share") : [];
        const decision = listing
          ? decideConfirm(stateOf(listing, null), orderId, ticket, { version: listing.ticketVersion, sellerId: listing.sellerId })
          : decideConfirm(undefined, orderId, undefined, { version: 0, sellerId: "" });
        const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
        if (decision.outcome === "already_sold") return { outcome: "sold", listing: listing!, order: order!, previous: null, fresh: false };
        if (decision.outcome === "reject") return { outcome: "rejected", reason: decision.reason };
        if (sellerPayment?.status !== "succeeded") return { outcome: "rejected", reason: "resale_seller_refunded" };
        // A cancelled session sells nothing more, a resale no more than a seat: this money goes back with the rest.
        const [session] = await tx.select({ status: sessions.status }).from(sessions).where(eq(sessions.id, listing!.sessionId));
        if (session?.status === "cancelled") return { outcome: "rejected", reason: "resale_session_cancelled" };
        if (!order || !["created", "payment_pending"].includes(order.status)) return { outcome: "rejected", reason: `resale_order_${order?.status ?? "unknown"}` };
        const l = listing!;
        await tx.update(tickets).set({ status: "void", voidReason: "resold" }).where(eq(tickets.id, l.ticketId));
        const newTicketId = ticketIdFor(orderId, l.seatId);
        await tx.insert(tickets).values({ id: newTicketId, orderId, sessionId: l.sessionId, seatId: l.seatId, ownerId: order.buyerId, issuedAt: now });
        const [completed] = await tx.update(orders).set({ status: "completed", updatedAt: now }).where(eq(orders.id, orderId)).returning();
        const [sold] = await tx
          .update(resaleListings)
          .set({ status: "sold", newTicketId, soldAt: now, reservedUntil: null, payoutStatus: "pending", updatedAt: now })
          .where(eq(resaleListings.id, l.id))
          .returning();
        return { outcome: "sold", listing: sold!, order: completed!, previous: order.status, fresh: true };
      });
    },

    /** Listings a buyer can take now: listed, not held by a live order, of a session not over or cancelled. */
    async offers(sessionId: string, now: Date): Promise<ListingRow[]> {
      const [session] = await db.select({ status: sessions.status, startsAt: sessions.startsAt }).from(sessions).where(eq(sessions.id, sessionId));
      if (!session || session.status === "cancelled" || session.startsAt <= now) return [];
      const rows = await db
        .select({ listing: resaleListings })
        .from(resaleListings)
        .innerJoin(tickets, and(eq(tickets.id, resaleListings.ticketId), eq(tickets.status, "valid"), eq(tickets.version, resaleListings.ticketVersion)))
        .where(
          and(
            eq(resaleListings.sessionId, sessionId),
            eq(resaleListings.status, "listed"),
            or(isNull(resaleListings.reservedUntil), lt(resaleListings.reservedUntil, now)),
          ),
        )
        .orderBy(asc(resaleListings.seatId))
        .limit(500);
      return rows.map((r) => r.listing);
    },

    /** A seller's listings, newest first. */
    bySeller: (sellerId: string) =>
      db.select().from(resaleListings).where(eq(resaleListings.sellerId, sellerId)).orderBy(sql`${resaleListings.createdAt} desc`).limit(200),

    /** The live listings among these tickets (the ticket list shows them). */
    async liveFor(ticketIds: readonly string[]): Promise<Map<string, string>> {
      if (ticketIds.length === 0) return new Map();
      const rows = await db
        .select({ id: resaleListings.id, ticketId: resaleListings.ticketId })
        .from(resaleListings)
        .where(and(inArray(resaleListings.ticketId, [...ticketIds]), eq(resaleListings.status, "listed")));
      return new Map(rows.map((r) => [r.ticketId, r.id]));
    },

    /** Resale orders whose window ran out before any payment started: expired (their listings are free again by time). */
    async expireAbandoned(now: Date, limit = 100): Promise<OrderRow[]> {
      return db
        .update(orders)
        .set({ status: "expired", updatedAt: now })
        .where(
          and(
            inArray(
              orders.id,
              db
                .select({ id: orders.id })
                .from(orders)
                .where(and(eq(orders.kind, "resale"), eq(orders.status, "created"), lt(orders.expiresAt, now)))
                .limit(limit),
            ),
            eq(orders.status, "created"),
            sql`not exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id})`,
          ),
        )
        .returning();
    },

  };
}

export type ResaleStore = ReturnType<typeof createResaleStore>;

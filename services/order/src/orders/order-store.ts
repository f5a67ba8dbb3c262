import { type Money, type OrderStatus, type OrderView, parseSeatId } from "@rush/contracts";
import { type Database, events, orderItems, orders, sessions } from "@rush/db";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Db } from "@rush/db";
import { extendMany } from "./extended-holds.ts";
import { normalizeAmount, times } from "./money.ts";
import { type OrderToOpen, insertOrders, openedRow } from "./open-orders.ts";
import { nextStatus } from "./order-state.ts";
import type { PriceBook } from "./price-book.ts";

/** What every hold event says about the hold behind an order: enough to create the order from any of them. */
export interface HoldFacts {
  orderId: string;
  holdId: string;
  buyerId: string;
  sessionId: string;
  areaId: string;
  seatIds: readonly string[];
  expiresAt: number;
}

export type OrderRow = typeof orders.$inferSelect;

export interface Transition {
  order: OrderRow;
  previous: OrderStatus | null;
  /** False when the order was already there (a redelivered fact): its event may still need publishing. */
  changed: boolean;
}

/** A seat area without a price: the catalog never lets a session on sale like that. */
export class UnpricedAreaError extends Error {
  readonly code = "ORDER_UNPRICED_AREA";
  constructor(sessionId: string, areaId: string) {
    super(`session ${sessionId} has no price for area ${areaId}`);
    this.name = "UnpricedAreaError";
  }
}

export interface OrderCursor {
  createdAt: string;
  id: string;
}

export interface OrderStore {
  /** Creates the order of a hold (status `created`) unless it exists; idempotent by hold id. */
  ensure(facts: HoldFacts): Promise<{ order: OrderRow; created: boolean }>;
  /** `ensure` for many holds at once: one statement for all their orders and items. */
  ensureMany(facts: readonly HoldFacts[]): Promise<{ order: OrderRow; created: boolean }[]>;
  /** Moves an order towards `target` per the state machine; `undefined` if there is no such order. */
  /** Moves the order toward `target` if the state machine allows; `reason` is kept with a refund status. */
  moveTo(orderId: string, target: OrderStatus, reason?: string): Promise<Transition | undefined>;
  /** A live hold was extended: the order's expiry follows it. */
  extend(orderId: string, expiresAt: number): Promise<void>;
  find(orderId: string): Promise<OrderRow | undefined>;
  listByBuyer(buyerId: string, limit: number, after?: OrderCursor): Promise<OrderRow[]>;
  /** A session's paid orders (completed, being refunded or refunded), newest first: the organizer's refund list. */
  listPaidBySession(sessionId: string, limit: number): Promise<OrderRow[]>;
  /** The organizer owning a session's event, if the session exists. */
  sessionOwner(sessionId: string): Promise<string | undefined>;
  view(rows: readonly OrderRow[]): Promise<OrderView[]>;
}

export const moneyOf = (order: OrderRow): Money => ({ amount: normalizeAmount(order.totalAmount), currency: order.currency });

export function createOrderStore(db: Database, sql: Db["sql"], prices: PriceBook): OrderStore {
  const find = async (orderId: string) => (await db.select().from(orders).where(eq(orders.id, orderId)).limit(1))[0];

  return {
    find,

    async ensure(facts) {
      const existing = await find(facts.orderId);
      if (existing) return { order: existing, created: false };
      const price = await prices.priceOf(facts.sessionId, facts.areaId);
      if (!price) throw new UnpricedAreaError(facts.sessionId, facts.areaId);
      const total = times(price, facts.seatIds.length);
      return db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(orders)
          .values({
            id: facts.orderId,
            holdId: facts.holdId,
            sessionId: facts.sessionId,
            buyerId: facts.buyerId,
            status: "created",
            totalAmount: total.amount,
            currency: total.currency,
            expiresAt: new Date(facts.expiresAt),
            // Millisecond precision, as JavaScript has it: the list cursor compares it exactly.
            createdAt: new Date(),
          })
          .onConflictDoNothing()
          .returning();
        if (!inserted) return { order: (await tx.select().from(orders).where(eq(orders.id, facts.orderId)))[0]!, created: false };
        await tx
          .insert(orderItems)
          .values(facts.seatIds.map((seatId) => ({ orderId: facts.orderId, seatId, amount: price.amount, currency: price.currency })));
        return { order: inserted, created: true };
      });
    },

    async ensureMany(many) {
      const unique = [...new Map(many.map((f) => [f.orderId, f])).values()];
      if (unique.length === 0) return [];
      const priced: OrderToOpen[] = [];
      for (const facts of unique) {
        // One after another: the first miss loads the session's prices, the rest hit the cache.
        const price = await prices.priceOf(facts.sessionId, facts.areaId);
        if (!price) throw new UnpricedAreaError(facts.sessionId, facts.areaId);
        priced.push({ ...facts, price, total: times(price, facts.seatIds.length) });
      }
      const now = new Date();
      const fresh = await insertOrders(sql, priced, now);
      const opened = priced.filter((order) => fresh.has(order.orderId)).map((order) => ({ order: openedRow(order, now), created: true }));
      if (opened.length === unique.length) return opened;
      // A redelivered hold: its order is already there, in whatever status it has reached since.
      const missing = unique.filter((f) => !fresh.has(f.orderId)).map((f) => f.orderId);
      const existing = await db.select().from(orders).where(inArray(orders.id, missing));
      return [...opened, ...existing.map((order) => ({ order, created: false }))];
    },

    async moveTo(orderId, target, reason) {
      return db.transaction(async (tx) => {
        const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
        if (!order) return undefined;
        const next = nextStatus(order.status, target);
        if (next === undefined) return { order, previous: null, changed: false };
        const [updated] = await tx
          .update(orders)
          .set({ status: next, updatedAt: new Date(), ...(reason && next.startsWith("refund") ? { reason: reason.slice(0, 500) } : {}) })
          .where(eq(orders.id, orderId))
          .returning();
        return { order: updated!, previous: order.status, changed: true };
      });
    },

    async extend(orderId, expiresAt) {
      // One rule for one extension and a batch's: a live order's expiry only moves later.
      await extendMany(sql, [{ orderId, expiresAt }], new Date());
    },

    async listByBuyer(buyerId, limit, after) {
      const before = after
        ? or(
            lt(orders.createdAt, new Date(after.createdAt)),
            and(eq(orders.createdAt, new Date(after.createdAt)), lt(orders.id, after.id)),
          )
        : undefined;
      return db
        .select()
        .from(orders)
        .where(and(eq(orders.buyerId, buyerId), before))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit);
    },

    listPaidBySession: (sessionId, limit) =>
      db
        .select()
        .from(orders)
        .where(and(eq(orders.sessionId, sessionId), inArray(orders.status, ["completed", "refund_pending", "refund_failed", "refunded"])))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit),

    async sessionOwner(sessionId) {
      const [row] = await db.select({ organizerId: events.organizerId }).from(sessions).innerJoin(events, eq(events.id, sessions.eventId)).where(eq(sessions.id, sessionId));
      return row?.organizerId;
    },

    async view(rows) {
      if (rows.length === 0) return [];
      const items = await db
        .select()
        .from(orderItems)
        .where(inArray(orderItems.orderId, rows.map((r) => r.id)));
      const byOrder = new Map<string, typeof items>();
      for (const item of items) byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), item]);
      return rows.map((row) => {
        const own = (byOrder.get(row.id) ?? []).sort((a, b) => a.seatId.localeCompare(b.seatId, "en", { numeric: true }));
        return {
          id: row.id,
          holdId: row.holdId,
          sessionId: row.sessionId,
          // A hold lives in one area (one seat actor decided it): its seats name it.
          areaId: parseSeatId(own[0]?.seatId ?? "")?.areaId ?? "",
          status: row.status,
          ...(row.kind === "resale" ? { kind: row.kind } : {}),
          ...(row.reason ? { reason: row.reason } : {}),
          items: own.map((item) => ({ seatId: item.seatId, price: { amount: normalizeAmount(item.amount), currency: item.currency } })),
          total: moneyOf(row),
          expiresAt: row.expiresAt.toISOString(),
          createdAt: row.createdAt.toISOString(),
          updatedAt: row.updatedAt.toISOString(),
        };
      });
    },
  };
}

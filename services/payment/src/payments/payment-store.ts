import { type PaymentProviderName, type PaymentStatus, parseSeatId } from "@rush/contracts";
import { type Database, events, orderItems, orders, paymentEvents, payments, sessions, withConflicts } from "@rush/db";
import { and, asc, eq, inArray, isNotNull, isNull, lt, notInArray, or } from "drizzle-orm";

/** The mark `release` leaves on a payment no provider call is working on. */
const PROVIDER_UNREACHABLE = "provider_unreachable";

export type PaymentRow = typeof payments.$inferSelect;
/** An order as payment sees it: the row, and the area its hold lives in (its seats name it). */
export type OrderRow = typeof orders.$inferSelect & { areaId: string };

export interface PaymentStore {
  /** A new payment (status `created`); a second payment of one order is a `ConflictError`. */
  open(input: { orderId: string; provider: PaymentProviderName; amount: string; currency: string }): Promise<PaymentRow>;
  /**
   * Moves a payment from one of `from` to `to`, appending the change to `payment_events` in the
   * same transaction. `undefined` when the payment was not in `from` (someone else moved it).
   */
  move(
    paymentId: string,
    from: readonly PaymentStatus[],
    to: PaymentStatus,
    change?: {
      providerRef?: string;
      reason?: string;
      /** The provider's refusal of a refund; `null` clears it. */
      lastError?: string | null;
      detail?: Record<string, unknown>;
      /** Also marks it settled, in the same transaction. */
      settle?: boolean;
    },
  ): Promise<PaymentRow | undefined>;
  /** Settled payments of cancelled sessions not yet on their way back: what a cancellation still owes, oldest first. */
  owedByCancellations(limit: number, skip?: readonly string[]): Promise<PaymentRow[]>;
  /** The organizer who owns a session's event, if the session exists. */
  sessionOwner(sessionId: string): Promise<string | undefined>;
  /** The seat engine answered the confirm: the payment needs no more reconciling. */
  settle(paymentId: string, detail: Record<string, unknown>): Promise<void>;
  /**
   * Takes up a `created` payment for a new pay attempt, atomically: only when its last provider
   * call failed (`release`) or it has been untouched since `staleBefore`. Of two attempts at
   * once, one gets the row and the other `undefined`.
   */
  claim(paymentId: string, staleBefore: Date): Promise<PaymentRow | undefined>;
  /** A provider call for this `created` payment failed with nothing charged: a retry may take it up at once. */
  release(paymentId: string): Promise<void>;
  find(paymentId: string): Promise<PaymentRow | undefined>;
  findByOrder(orderId: string): Promise<PaymentRow | undefined>;
  findByProviderRef(provider: PaymentProviderName, providerRef: string): Promise<PaymentRow | undefined>;
  /**
   * What the reconciler runs again, oldest first: captured but unsettled, or refunds not
   * finished, untouched since `before`; and payments still open (`created`, `pending`) since
   * `openBefore` (a lost webhook, a provider call that failed). `skip`: ids backing off.
   */
  stuck(query: { before: Date; openBefore: Date; limit: number; skip?: readonly string[] }): Promise<PaymentRow[]>;
  order(orderId: string): Promise<OrderRow | undefined>;
}

export function createPaymentStore(db: Database): PaymentStore {
  const one = async (where: ReturnType<typeof eq>) => (await db.select().from(payments).where(where).limit(1))[0];
  return {
    async open(input) {
      return withConflicts(() =>
        db.transaction(async (tx) => {
          const [row] = await tx
            .insert(payments)
            .values({ ...input, status: "created", idempotencyKey: `pay:${input.orderId}` })
            .returning();
          await tx.insert(paymentEvents).values({ paymentId: row!.id, status: "created", detail: { provider: input.provider } });
          return row!;
        }),
      );
    },

    async move(paymentId, from, to, change = {}) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(payments)
          .set({
            status: to,
            updatedAt: new Date(),
            ...(change.providerRef ? { providerRef: change.providerRef } : {}),
            ...(change.reason ? { reason: change.reason } : {}),
            ...(change.lastError !== undefined ? { lastError: change.lastError } : {}),
            ...(change.settle ? { settledAt: new Date() } : {}),
          })
          .where(and(eq(payments.id, paymentId), inArray(payments.status, [...from])))
          .returning();
        if (!row) return undefined;
        await tx.insert(paymentEvents).values({
          paymentId,
          status: to,
          detail: { from, ...(change.reason ? { reason: change.reason } : {}), ...(change.detail ?? {}) },
        });
        return row;
      });
    },

    async settle(paymentId, detail) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(payments)
          .set({ settledAt: new Date() })
          .where(and(eq(payments.id, paymentId), isNull(payments.settledAt)))
          .returning();
        if (row) await tx.insert(paymentEvents).values({ paymentId, status: row.status, detail: { settled: true, ...detail } });
      });
    },

    async claim(paymentId, staleBefore) {
      const [row] = await db
        .update(payments)
        .set({ reason: null, updatedAt: new Date() })
        .where(
          and(
            eq(payments.id, paymentId),
            eq(payments.status, "created"),
            or(eq(payments.reason, PROVIDER_UNREACHABLE), lt(payments.updatedAt, staleBefore)),
          ),
        )
        .returning();
      return row;
    },

    async release(paymentId) {
      await db
        .update(payments)
        .set({ reason: PROVIDER_UNREACHABLE, updatedAt: new Date() })
        .where(and(eq(payments.id, paymentId), eq(payments.status, "created")));
    },

    find: (paymentId) => one(eq(payments.id, paymentId)),
    findByOrder: (orderId) => one(eq(payments.orderId, orderId)),
    findByProviderRef: (provider, providerRef) => one(and(eq(payments.provider, provider), eq(payments.providerRef, providerRef))!),

    stuck: ({ before, openBefore, limit, skip = [] }) =>
      db
        .select()
        .from(payments)
        .where(
          and(
            or(
              and(
                lt(payments.updatedAt, before),
                or(and(eq(payments.status, "succeeded"), isNull(payments.settledAt)), inArray(payments.status, ["refund_pending", "refund_failed"])),
              ),
              and(lt(payments.updatedAt, openBefore), inArray(payments.status, ["created", "pending"])),
            ),
            skip.length > 0 ? notInArray(payments.id, [...skip]) : undefined,
          ),
        )
        // Oldest first: a payment that keeps failing backs off instead of coming back first every time.
        .orderBy(asc(payments.updatedAt), asc(payments.id))
        .limit(limit),

    owedByCancellations: (limit, skip = []) =>
      db
        .select({ payment: payments })
        .from(payments)
        .innerJoin(orders, eq(orders.id, payments.orderId))
        .innerJoin(sessions, eq(sessions.id, orders.sessionId))
        .where(
          and(
            eq(sessions.status, "cancelled"),
            eq(payments.status, "succeeded"),
            isNotNull(payments.settledAt),
            skip.length > 0 ? notInArray(payments.id, [...skip]) : undefined,
          ),
        )
        .orderBy(asc(payments.updatedAt), asc(payments.id))
        .limit(limit)
        .then((rows) => rows.map((row) => row.payment)),

    async sessionOwner(sessionId) {
      const [row] = await db
        .select({ organizerId: events.organizerId })
        .from(sessions)
        .innerJoin(events, eq(events.id, sessions.eventId))
        .where(eq(sessions.id, sessionId))
        .limit(1);
      return row?.organizerId;
    },

    async order(orderId) {
      const [row] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
      if (!row) return undefined;
      const [item] = await db.select({ seatId: orderItems.seatId }).from(orderItems).where(eq(orderItems.orderId, orderId)).limit(1);
      return { ...row, areaId: parseSeatId(item?.seatId ?? "")?.areaId ?? "" };
    },
  };
}

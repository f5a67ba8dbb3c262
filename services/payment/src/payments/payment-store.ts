import { type PaymentProviderName, type PaymentStatus, parseSeatId } from "@rush/contracts";
import { type Database, events, orderItems, orders, payments, sessions, withConflicts } from "@rush/db";
import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, lt, notInArray, or, sql } from "drizzle-orm";

/** The mark `release` leaves on a payment no provider call is working on. */
const PROVIDER_UNREACHABLE = "provider_unreachable";

export type PaymentRow = typeof payments.$inferSelect;
/** An order as payment sees it: the row, and the area its hold lives in (its seats name it). */
export type OrderRow = typeof orders.$inferSelect & { areaId: string };
/** An order and its payment, if one was opened: what a pay needs to know before it starts. */
export interface Payable {
  order: OrderRow;
  payment: PaymentRow | undefined;
}

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
  /** The order with its payment, in one query. */
  payable(orderId: string): Promise<Payable | undefined>;
}

/**
 * A payments row as drizzle gives it, from a statement written by hand (`returning *`): the
 * driver hands timestamps over as text, so they become dates here, as drizzle's columns do.
 */
type RawPayment = {
  id: string;
  order_id: string;
  provider: PaymentRow["provider"];
  provider_ref: string | null;
  status: PaymentStatus;
  amount: string;
  currency: string;
  idempotency_key: string;
  reason: string | null;
  last_error: string | null;
  settled_at: string | null;
  created_at: string;
  updated_at: string;
};

const toPaymentRow = (raw: RawPayment): PaymentRow => ({
  id: raw.id,
  orderId: raw.order_id,
  provider: raw.provider,
  providerRef: raw.provider_ref,
  status: raw.status,
  amount: raw.amount,
  currency: raw.currency,
  idempotencyKey: raw.idempotency_key,
  reason: raw.reason,
  lastError: raw.last_error,
  settledAt: raw.settled_at === null ? null : new Date(raw.settled_at),
  createdAt: new Date(raw.created_at),
  updatedAt: new Date(raw.updated_at),
});

/** The first seat's area: every seat of an order's hold lives in one area. */
const areaOf = (seatId: string | null) => parseSeatId(seatId ?? "")?.areaId ?? "";

const firstSeat = sql<string | null>`(select ${orderItems.seatId} from ${orderItems} where ${orderItems.orderId} = ${orders.id} limit 1)`;

export function createPaymentStore(db: Database): PaymentStore {
  const one = async (where: ReturnType<typeof eq>) => (await db.select().from(payments).where(where).limit(1))[0];
  return {
    // Writes that append to payment_events are one statement each (a data-modifying CTE): one
    // round trip and one implicit transaction instead of BEGIN, two statements and COMMIT. Under a
    // flash sale every pay made four such transactions, each holding a pooled connection across
    // its round trips while the next pays queued for it.
    async open(input) {
      const at = new Date().toISOString();
      const detail = JSON.stringify({ provider: input.provider });
      const rows = await withConflicts(() =>
        db.execute<RawPayment>(sql`
          with opened as (
            insert into payments (order_id, provider, status, amount, currency, idempotency_key, created_at, updated_at)
            values (${input.orderId}, ${input.provider}, 'created', ${input.amount}, ${input.currency}, ${`pay:${input.orderId}`}, ${at}::timestamptz, ${at}::timestamptz)
            returning *
          ), logged as (
            insert into payment_events (payment_id, status, detail, at) select id, status, ${detail}::jsonb, ${at}::timestamptz from opened
          )
          select * from opened`),
      );
      return toPaymentRow(rows[0]!);
    },

    async move(paymentId, from, to, change = {}) {
      const at = new Date().toISOString();
      const detail = JSON.stringify({ from, ...(change.reason ? { reason: change.reason } : {}), ...(change.detail ?? {}) });
      const rows = await db.execute<RawPayment>(sql`
        with moved as (
          update payments set
            status = ${to},
            updated_at = ${at}::timestamptz,
            provider_ref = coalesce(${change.providerRef || null}::text, provider_ref),
            reason = coalesce(${change.reason || null}::text, reason),
            last_error = case when ${change.lastError !== undefined} then ${change.lastError ?? null}::text else last_error end,
            settled_at = case when ${change.settle === true} then ${at}::timestamptz else settled_at end
          where id = ${paymentId} and status in (${sql.join(
            from.map((status) => sql`${status}`),
            sql`, `,
          )})
          returning *
        ), logged as (
          insert into payment_events (payment_id, status, detail, at) select id, status, ${detail}::jsonb, ${at}::timestamptz from moved
        )
        select * from moved`);
      return rows[0] ? toPaymentRow(rows[0]) : undefined;
    },

    async settle(paymentId, detail) {
      const at = new Date().toISOString();
      await db.execute(sql`
        with settled as (
          update payments set settled_at = ${at}::timestamptz where id = ${paymentId} and settled_at is null returning id, status
        )
        insert into payment_events (payment_id, status, detail, at) select id, status, ${JSON.stringify({ settled: true, ...detail })}::jsonb, ${at}::timestamptz from settled`);
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
      const [row] = await db
        .select({ ...getTableColumns(orders), firstSeat })
        .from(orders)
        .where(eq(orders.id, orderId))
        .limit(1);
      if (!row) return undefined;
      const { firstSeat: seatId, ...order } = row;
      return { ...order, areaId: areaOf(seatId) };
    },

    async payable(orderId) {
      const [row] = await db
        .select({ order: orders, firstSeat, payment: payments })
        .from(orders)
        .leftJoin(payments, eq(payments.orderId, orders.id))
        .where(eq(orders.id, orderId))
        .limit(1);
      if (!row) return undefined;
      return { order: { ...row.order, areaId: areaOf(row.firstSeat) }, payment: row.payment ?? undefined };
    },
  };
}

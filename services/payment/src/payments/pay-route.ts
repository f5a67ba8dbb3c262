import { randomUUID } from "node:crypto";
import type { Bus, SeatCommandClient } from "@rush/bus";
import { OrderIdParams, type OrderStatus, PayRequest, PayResponse, isCurrency, orderSubject, redisKeys } from "@rush/contracts";
import { ConflictError } from "@rush/db";
import { HttpProblem } from "@rush/service";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { PaymentProvider } from "../providers/provider.ts";
import type { PayStep } from "./pay-steps.ts";
import { publishPaymentStatus } from "./payment-events.ts";
import type { OrderRow, Payable, PaymentRow, PaymentStore } from "./payment-store.ts";
import type { Settled, Settlement } from "./settlement.ts";
import type { ResalePaymentStore } from "../resale/resale-payment-store.ts";

export interface PayRouteOptions {
  bus: Bus;
  store: PaymentStore;
  seats: SeatCommandClient;
  settlement: Settlement;
  /** A resale order's listing reservation, kept alive while the money moves. */
  resale: Pick<ResalePaymentStore, "extend">;
  providers: Partial<Record<string, PaymentProvider>>;
  /** How long pay waits for the order service to open an order whose hold was just granted. */
  orderWaitMs: number;
  /** The buyer the gate granted this order's hold to (`order:grant:{<buyerId>}:<orderId>`), if it did lately. */
  grantedTo?: (orderId: string, buyerId: string) => Promise<string | null>;
  /** How far a payment stretches its hold (the session's maxHoldExtensionMs caps it). */
  holdExtensionMs: number;
  /** How long pay waits for the seat engine to stretch the hold before a 503. */
  extendTimeoutMs: number;
  clock: () => number;
  /** Times a step of the pay (metrics); by default only runs it. */
  timed?: <T>(step: PayStep, work: Promise<T>) => Promise<T>;
}

const notFound = (orderId: string) => new HttpProblem(404, "not_found", "Not Found", `no order ${orderId}`);

/** Read-your-writes: an order a hold answer named is never 404 — while it is on its way, retry. */
export const grantedTo = (redis: Redis) => (orderId: string, buyerId: string) => redis.get(redisKeys.orderGrant(buyerId, orderId));

const orderOnItsWay = (orderId: string) =>
  new HttpProblem(503, "order_pending", "Order not open yet", `order ${orderId} was granted a moment ago and is still being opened; retry`, {}, { "retry-after": "1" });

const notPayable = (status: OrderStatus) =>
  new HttpProblem(409, status === "payment_pending" || status === "completed" ? "already_paid" : "order_not_payable", "Order not payable", `the order is ${status}`, {
    orderStatus: status,
  });

/**
 * Waits for the order of a hold granted a moment ago: the order service opens it from the seat
 * engine's event, normally within milliseconds, and its `order.created` event ends the wait.
 * The database is asked twice, not every 250 ms: under a 2,000-buyer burst, hundreds of pays
 * waiting on a lagging order service polled it ~2,000 times a second, filled the pool, and every
 * other query of every pay waited behind them (pays took 15 s while the loop idled). A slow
 * re-check, backing off to 2 s, covers an event missed because it beat the subscription.
 */
async function awaitOrder(bus: Bus, store: PaymentStore, orderId: string, waitMs: number): Promise<Payable | undefined> {
  if (waitMs === 0) return store.payable(orderId);
  let announced = false;
  let wake: () => void = () => {};
  // Subscribed before the first look: the order committed after it is announced after it.
  const sub = bus.nc.subscribe(orderSubject("created", orderId), {
    max: 1,
    callback: () => {
      announced = true;
      wake();
    },
  });
  try {
    const first = await store.payable(orderId);
    if (first) return first;
    const deadline = Date.now() + waitMs;
    let pauseMs = 500;
    while (Date.now() < deadline) {
      if (!announced) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(pauseMs, Math.max(0, deadline - Date.now()))).unref();
        });
      }
      const found = await store.payable(orderId);
      if (found) return found;
      // Announced yet not found cannot happen (the event follows the commit); never spin on it.
      announced = false;
      pauseMs = Math.min(2_000, pauseMs * 2);
    }
    return undefined;
  } finally {
    sub.unsubscribe();
  }
}

/**
 * A provider call that failed (network, outage) is a 503 to retry, not a lost payment: the
 * payment stays open, a retried pay resumes it, and the reconciler asks the provider later.
 */
async function atProvider<T>(log: FastifyBaseLogger, release: () => Promise<void>, timed: (work: Promise<T>) => Promise<T>, call: () => Promise<T>): Promise<T> {
  try {
    return await timed(call());
  } catch (error) {
    log.warn({ err: error }, "payment provider call failed; the payment stays open");
    // Left unmarked (the database is down too), a retry waits RESUME_AFTER_MS instead.
    await release().catch((err: unknown) => log.warn({ err }, "could not mark the payment free to resume"));
    throw new HttpProblem(503, "provider_unreachable", "Payment provider unreachable", "the payment provider did not answer; retry", {}, { "retry-after": "5" });
  }
}

/**
 * Keeps the order's hold while the money moves (409 once it is gone, 503 if the engine is slow),
 * so nothing is charged for seats that are no longer the buyer's. A resale order has no seat
 * hold: its listing's reservation is what it holds (the seat stays sold throughout).
 */
async function keepHold(options: PayRouteOptions, order: OrderRow, buyerId: string): Promise<void> {
  const { clock } = options;
  if (order.kind === "resale") {
    if (!(await options.resale.extend(order.id, new Date(clock() + options.holdExtensionMs), new Date(clock())))) {
      throw new HttpProblem(409, "hold_ended", "Hold ended", "the resale window of this order is over; the ticket went back on offer", { holdStatus: "expired" });
    }
    return;
  }
  const extended = await options.seats.send(
    {
      type: "ExtendHold",
      // Unique per attempt: two racing pays must not share a command in flight; the extension is idempotent in effect.
      commandId: `pay-extend:${order.id}:${randomUUID()}`,
      sessionId: order.sessionId,
      areaId: order.areaId,
      holdId: order.holdId,
      buyerId,
      byMs: options.holdExtensionMs,
      now: clock(),
    },
    { timeoutMs: options.extendTimeoutMs },
  );
  if (extended.status === "pending") {
    throw new HttpProblem(503, "unavailable", "Service Unavailable", "the seat engine did not answer in time; retry", {}, { "retry-after": "2" });
  }
  const rejected = extended.reply.events.find((e) => e.type === "ExtendRejected");
  if (rejected) {
    throw new HttpProblem(409, "hold_ended", "Hold ended", `the hold behind this order is ${rejected.holdStatus ?? rejected.reason}`, {
      holdStatus: rejected.holdStatus ?? rejected.reason,
    });
  }
}

/** How old an unmarked `created` payment must be before a new pay resumes it (its provider call has surely ended). */
const RESUME_AFTER_MS = 30_000;

/** `POST /v1/orders/:orderId/pay`: one payment per order; the answer says where it left the order. */
export const payRoute: FastifyPluginAsyncZod<PayRouteOptions> = async (app, options) => {
  const { bus, store, settlement, clock } = options;
  const timed = options.timed ?? (<T>(_step: PayStep, work: Promise<T>) => work);

  app.post(
    "/v1/orders/:orderId/pay",
    { config: { auth: {} }, schema: { params: OrderIdParams, body: PayRequest, response: { 200: PayResponse } } },
    async (request) => {
      const { orderId } = request.params;
      const buyerId = request.principal!.sub;
      const found = await timed("order", awaitOrder(bus, store, orderId, options.orderWaitMs));
      if (!found && (await options.grantedTo?.(orderId, buyerId).catch(() => null)) === buyerId) throw orderOnItsWay(orderId);
      if (!found || found.order.buyerId !== buyerId) throw notFound(orderId);
      const { order, payment: resumed } = found;
      if (order.status !== "created") throw notPayable(order.status);
      // A payment whose provider call failed before anything was charged is taken up again (same keys, same provider payment).
      if (resumed && (resumed.status !== "created" || resumed.provider !== request.body.provider)) throw notPayable("payment_pending");
      const provider = options.providers[request.body.provider];
      if (!provider) throw new HttpProblem(422, "provider_unavailable", "Provider unavailable", `${request.body.provider} is not configured here`);
      if (!isCurrency(order.currency)) {
        throw new HttpProblem(422, "unsupported_currency", "Unsupported currency", `payments in ${order.currency} are not supported`);
      }

      // Keep the hold while the money moves; a hold already gone takes no money at all.
      await timed("extend", keepHold(options, order, buyerId));

      let payment: PaymentRow;
      try {
        // Resuming is a claim, not a read: a concurrent pay still at the provider keeps its payment.
        const claimed = resumed && (await store.claim(resumed.id, new Date(clock() - RESUME_AFTER_MS)));
        if (resumed && !claimed) throw notPayable("payment_pending");
        payment = claimed || (await store.open({ orderId, provider: provider.name, amount: order.totalAmount, currency: order.currency }));
      } catch (error) {
        if (error instanceof ConflictError) throw notPayable("payment_pending");
        throw error;
      }
      const paymentId = payment.id;
      const outcome = await atProvider(
        request.log,
        () => store.release(paymentId),
        (work) => timed("provider", work),
        async () => {
          const { providerRef } = await provider.create({
            paymentId: payment.id,
            orderId,
            amount: { amount: order.totalAmount, currency: order.currency },
            idempotencyKey: `create:${payment.id}`,
          });
          const pending = await store.move(payment.id, ["created"], "pending", { providerRef });
          if (pending) payment = pending;
          // The providerRef is stored before the confirm (a crash after it is reconciled by it);
          // the `pending` event goes out alongside: the next event of this payment waits for both.
          const [confirmed] = await Promise.all([
            provider.confirm({
              paymentId: payment.id,
              providerRef,
              ...(request.body.method ? { method: request.body.method } : {}),
              idempotencyKey: `confirm:${payment.id}`,
            }),
            pending ? publishPaymentStatus(bus, pending, order) : undefined,
          ]);
          return confirmed;
        },
      );
      let settled: Settled;
      switch (outcome.status) {
        case "succeeded":
          settled = await timed("settle", settlement.succeeded(payment, ["pending"], order));
          break;
        case "failed":
          settled = await timed("settle", settlement.declined(payment, outcome.reason));
          break;
        case "pending":
          return { orderId, status: "payment_pending" as const, paymentId: payment.id, paymentStatus: payment.status, ...(outcome.clientAction ? { clientAction: outcome.clientAction } : {}) };
        default: {
          const unreachable: never = outcome;
          throw new Error(`unknown provider outcome ${JSON.stringify(unreachable)}`);
        }
      }
      request.log.info({ orderId, paymentId: payment.id, status: settled.status }, "payment answered");
      return {
        orderId,
        status: settled.status,
        paymentId: payment.id,
        paymentStatus: settled.payment.status,
        ...(settled.reason ? { reason: settled.reason } : {}),
      };
    },
  );
};

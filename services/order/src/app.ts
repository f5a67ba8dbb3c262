import { type Bus, type Consumption, type FailureKind, classifyFailure, consumeBatches } from "@rush/bus";
import { PaymentEvent, STREAMS, SeatStreamMessage } from "@rush/contracts";
import { type Db, isPermanentDbError } from "@rush/db";
import { consumerMetrics, createServiceApp, createTicketSigner, installApi, type Logger, natsCheck, postgresCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { OrderConfig } from "./config.ts";
import { createOrderMetrics } from "./metrics.ts";
import { orderRoutes } from "./orders/order-routes.ts";
import { UnpricedAreaError, createOrderStore } from "./orders/order-store.ts";
import { createUnknownBuyerTriage } from "./orders/unknown-buyers.ts";
import { createOrphanHoldReleaser } from "./orders/orphan-holds.ts";
import { createPaymentEventBatchHandler, createPaymentEventHandler } from "./orders/payment-event-handler.ts";
import { createPriceBook } from "./orders/price-book.ts";
import { createSeatEventBatchHandler, isWorkAhead } from "./orders/seat-event-batch.ts";
import { startRepairPass } from "./orders/repair.ts";
import { createRepairStore } from "./orders/repair-store.ts";
import { createSeatEventHandler } from "./orders/seat-event-handler.ts";
import { answerResaleConfirms } from "./resale/resale-confirm.ts";
import { startResaleSweep } from "./resale/resale-sweep.ts";
import { resaleRoutes } from "./resale/resale-routes.ts";
import { createResaleStore } from "./resale/resale-store.ts";
import { publishOrderStatus } from "./orders/order-events.ts";
import { publishTicketTransferred } from "./tickets/ticket-events.ts";
import { ticketRoutes } from "./tickets/ticket-routes.ts";
import { createTicketStore } from "./tickets/ticket-store.ts";

/** The durable consumers (nats/consumers) this service reads. */
export const ORDER_CONSUMERS = { seatEvents: "order-seat-events", payments: "order-payments" } as const;
/** What each of them decodes: every message type its filter can deliver (see the contract test). */
export const ORDER_CONSUMER_SCHEMAS = { seatEvents: SeatStreamMessage, payments: PaymentEvent } as const;

export interface OrderDeps {
  config: OrderConfig;
  bus: Bus;
  db: Db;
  logger: Logger;
  metrics: Registry;
  clock?: () => number;
}

export interface OrderService {
  app: FastifyInstance;
  /** Starts following the seat and payment streams. */
  start(): Promise<void>;
  /** Stops the consumers after the message in hand. */
  stop(): Promise<void>;
}

/**
 * Permanent: Postgres refused the data (a buyer it does not know, a bad value) or the area has no
 * price. Parked at once (and the hold released); anything else is retried.
 */
export const isPermanentOrderFailure = (error: unknown): boolean =>
  isPermanentDbError(error) || error instanceof UnpricedAreaError || classifyFailure(error) === "permanent";
/**
 * How long a batch of seat (or payment) events waits for more before its orders are moved together.
 * 25 ms, not 10 (5 Dec 2026): with the openings' 20 ms below, eight alternating pairs of the http
 * bench spent 50 µs less of the order service's and PostgreSQL's CPU a hold at half load, 25 at
 * saturation (docs/benchmarks.md); nobody waits on a batch for less than a human's pay.
 */
const SEAT_EVENT_LINGER_MS = 25;

/** Openings and sales done ahead of the batches at once: a few, beside the batch, from the same connection pool. */
const AHEAD_CONCURRENCY = 4;

/**
 * How long the first grant waits for company before its order opens ahead of the batches. Without
 * it, at a few hundred holds a second, every grant opened its order in a statement and a
 * transaction of its own; shorter than the batches' linger, so the openings still go first. At
 * ~900 holds a second 20 ms gathers ~18 grants a statement where 5 ms gathered ~4; a pay waits
 * for its order (PAY_ORDER_WAIT_MS) and comes seconds after the hold's 201, not milliseconds.
 */
const AHEAD_LINGER_MS = 20;

const classify = (error: unknown): FailureKind => (isPermanentOrderFailure(error) ? "permanent" : "transient");

/** Builds the order service (HTTP + stream followers) from its dependencies; starts nothing. */
export async function buildOrderService(deps: OrderDeps): Promise<OrderService> {
  const { config, bus, db, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = createOrderMetrics(deps.metrics);
  const orders = createOrderStore(db.db, db.sql, createPriceBook(db.db, { ttlMs: config.PRICE_CACHE_MS, now: clock }));
  const tickets = createTicketStore(db.db);
  const previousKeys = config.TICKET_PREVIOUS_PUBLIC_KEYS.split(",").map((k) => k.trim()).filter(Boolean);
  const signer = createTicketSigner(config.TICKET_SIGNING_KEY, previousKeys);

  const app = createServiceApp({
    logger,
    metrics: deps.metrics,
    checks: { nats: natsCheck(bus), postgres: postgresCheck(db.sql) },
  });
  await installApi(app, { jwtSecret: config.JWT_SECRET, secondFactorRoles: config.SECOND_FACTOR_ROLES });
  await app.register(orderRoutes, { orders });
  const resale = createResaleStore(db.db, config.RESALE_HOLD_MS);
  const announceExpired = (order: Parameters<typeof publishOrderStatus>[1]) => publishOrderStatus(bus, order, "created");
  await app.register(resaleRoutes, { resale, clock, onExpired: announceExpired });
  await app.register(ticketRoutes, {
    tickets,
    listings: (ids) => resale.liveFor(ids),
    signer,
    clock,
    qrGraceMs: config.TICKET_QR_GRACE_HOURS * 3_600_000,
    onTransferred: (ticket, fromUserId) => publishTicketTransferred(bus, ticket, fromUserId, clock()),
  });

  const releaseOrphan = createOrphanHoldReleaser({ bus, partitions: config.PARTITIONS, logger, clock });
  const handleSeatEvent = createSeatEventHandler({
    bus,
    orders,
    sql: db.sql,
    logger,
    clock,
    onDoubleSale: (seats) => metrics.doubleSales.inc(seats.length),
    isPermanent: isPermanentOrderFailure,
    releaseOrphan,
  });
  const handleSeatEvents = createSeatEventBatchHandler({
    bus,
    orders,
    sql: db.sql,
    logger,
    handleOne: (event, item) => handleSeatEvent(event, item.trace),
    onDoubleSale: (seats) => metrics.doubleSales.inc(seats.length),
    concurrency: config.CONSUMER_CONCURRENCY,
    clock,
  });
  const outcomes = consumerMetrics(deps.metrics);
  const handlePayment = createPaymentEventHandler({ bus, orders, tickets });
  const handlePayments = createPaymentEventBatchHandler({ bus, sql: db.sql, handleOne: handlePayment, clock });
  const consumptions: Consumption[] = [];
  let repairPass: ReturnType<typeof startRepairPass> | undefined;
  let resaleConfirms: ReturnType<typeof answerResaleConfirms> | undefined;
  let resaleSweep: ReturnType<typeof startResaleSweep> | undefined;

  return {
    app,
    async start() {
      consumptions.push(
        await consumeBatches(bus, {
          stream: STREAMS.seatEvents,
          consumer: ORDER_CONSUMERS.seatEvents,
          schema: ORDER_CONSUMER_SCHEMAS.seatEvents,
          handle: handleSeatEvent,
          // Taken in batches, in stream order: a run of SeatsHeld opens its orders in one
          // transaction; a batch that fails is settled message by message (parking what never works).
          handleBatch: handleSeatEvents.handleBatch,
          // Orders open as their grants arrive, and paid orders get their tickets as their sales
          // arrive, not behind the pays of the batches before them.
          ahead: { pick: isWorkAhead, handle: handleSeatEvents.workAhead, concurrency: AHEAD_CONCURRENCY, lingerMs: AHEAD_LINGER_MS },
          // A pay that outruns its order waits for it (pay route), so a few ms buy fuller batches.
          lingerMs: SEAT_EVENT_LINGER_MS,
          // Holds of buyers no order can name are parked together before any insert.
          triage: createUnknownBuyerTriage({ sql: db.sql, releaseOrphan }),
          // A hold's events stay in order when a failed batch is settled message by message.
          keyOf: (message) => ("holdId" in message ? message.holdId : undefined),
          logger,
          classify,
          onOutcome: outcomes.of(ORDER_CONSUMERS.seatEvents),
          onRenewed: outcomes.renewalsOf(ORDER_CONSUMERS.seatEvents),
        }),
        await consumeBatches(bus, {
          stream: STREAMS.payments,
          consumer: ORDER_CONSUMERS.payments,
          schema: ORDER_CONSUMER_SCHEMAS.payments,
          handle: handlePayment,
          // Every pay starts with a `pending` event: the events that arrived together move their
          // orders in one statement; a batch that fails is settled event by event, an order's in order.
          handleBatch: handlePayments,
          lingerMs: SEAT_EVENT_LINGER_MS,
          keyOf: (event) => event.orderId,
          logger,
          classify,
          onOutcome: outcomes.of(ORDER_CONSUMERS.payments),
          onRenewed: outcomes.renewalsOf(ORDER_CONSUMERS.payments),
        }),
      );
      resaleConfirms = answerResaleConfirms({ bus, resale, logger, clock });
      resaleSweep = startResaleSweep({ resale, everyMs: config.RESALE_SWEEP_EVERY_MS, onExpired: announceExpired, logger, clock });
      // Whatever becomes of a seat or payment event, paid orders end with tickets or a refund.
      repairPass = startRepairPass({
        bus,
        orders,
        tickets,
        repairs: createRepairStore(db.db),
        logger,
        everyMs: config.REPAIR_EVERY_MS,
        graceMs: config.REPAIR_GRACE_MS,
        lookbackMs: config.REPAIR_LOOKBACK_MS,
        onRepaired: (kind) => metrics.repairs.inc({ kind }),
        onDoubleSale: (seats) => metrics.doubleSales.inc(seats.length),
        clock,
      });
    },
    async stop() {
      await repairPass?.stop();
      await resaleSweep?.stop();
      await resaleConfirms?.stop();
      await Promise.all(consumptions.map((c) => c.stop()));
    },
  };
}

import { type Bus, type Consumption, consume, consumeBatches } from "@rush/bus";
import { PaymentEvent, STREAMS, SeatEvent } from "@rush/contracts";
import type { Db } from "@rush/db";
import { type Logger, createServiceApp, installApi, natsCheck, postgresCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { OrderConfig } from "./config.ts";
import { createOrderMetrics } from "./metrics.ts";
import { orderRoutes } from "./orders/order-routes.ts";
import { createOrderStore } from "./orders/order-store.ts";
import { createPaymentEventHandler } from "./orders/payment-event-handler.ts";
import { createPriceBook } from "./orders/price-book.ts";
import { createSeatEventBatchHandler } from "./orders/seat-event-batch.ts";
import { startRepairPass } from "./orders/repair.ts";
import { createRepairStore } from "./orders/repair-store.ts";
import { createSeatEventHandler } from "./orders/seat-event-handler.ts";
import { createTicketSigner } from "./tickets/ticket-qr.ts";
import { ticketRoutes } from "./tickets/ticket-routes.ts";
import { createTicketStore } from "./tickets/ticket-store.ts";

/** The durable consumers (nats/consumers) this service reads. */
export const ORDER_CONSUMERS = { seatEvents: "order-seat-events", payments: "order-payments" } as const;

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

/** Builds the order service (HTTP + stream followers) from its dependencies; starts nothing. */
export async function buildOrderService(deps: OrderDeps): Promise<OrderService> {
  const { config, bus, db, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = createOrderMetrics(deps.metrics);
  const orders = createOrderStore(db.db, createPriceBook(db.db, { ttlMs: config.PRICE_CACHE_MS, now: clock }));
  const tickets = createTicketStore(db.db);
  const previousKeys = config.TICKET_PREVIOUS_PUBLIC_KEYS.split(",").map((k) => k.trim()).filter(Boolean);
  const signer = createTicketSigner(config.TICKET_SIGNING_KEY, previousKeys);

  const app = createServiceApp({
    logger,
    metrics: deps.metrics,
    checks: { nats: natsCheck(bus), postgres: postgresCheck(db.sql) },
  });
  await installApi(app, { jwtSecret: config.JWT_SECRET });
  await app.register(orderRoutes, { orders });
  await app.register(ticketRoutes, { tickets, signer, clock, qrGraceMs: config.TICKET_QR_GRACE_HOURS * 3_600_000 });

  const handleSeatEvent = createSeatEventHandler({
    bus,
    orders,
    tickets,
    logger,
    onDoubleSale: (seats) => metrics.doubleSales.inc(seats.length),
  });
  const handleSeatEvents = createSeatEventBatchHandler({ bus, orders, handleOne: (event, item) => handleSeatEvent(event, item.trace) });
  const handlePayment = createPaymentEventHandler({ bus, orders });
  const consumptions: Consumption[] = [];
  let repairPass: ReturnType<typeof startRepairPass> | undefined;

  return {
    app,
    async start() {
      consumptions.push(
        await consumeBatches(bus, {
          stream: STREAMS.seatEvents,
          consumer: ORDER_CONSUMERS.seatEvents,
          schema: SeatEvent,
          handle: handleSeatEvent,
          handleBatch: handleSeatEvents,
          logger,
          maxDeliver: 10,
        }),
        await consume(bus, {
          stream: STREAMS.payments,
          consumer: ORDER_CONSUMERS.payments,
          schema: PaymentEvent,
          handle: handlePayment,
          logger,
          maxDeliver: 10,
        }),
      );
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
      await Promise.all(consumptions.map((c) => c.stop()));
    },
  };
}

import { type Bus, type BusLogger, type ConsumeOutcome, type Consumption, consume } from "@rush/bus";
import { OrderEvent, type OrderUpdate, STREAMS, SeatStreamMessage, seatStatusChange } from "@rush/contracts";
import type { SeatDeltas } from "./seat-deltas.ts";

/** The durable consumers (nats/consumers) shared by every notification instance. */
export const NOTIFICATION_CONSUMERS = { seats: "notification-seats", orders: "notification-orders" } as const;
/** What each of them decodes: every message type its filter can deliver (see the contract test). */
export const NOTIFICATION_CONSUMER_SCHEMAS = { seats: SeatStreamMessage, orders: OrderEvent } as const;

/** Per-consumer outcome hooks (metrics); none by default. */
export type OutcomeHooks = (consumer: string) => (outcome: ConsumeOutcome) => void;
const noHooks: OutcomeHooks = () => () => {};

/**
 * Seat events → dirty seats of their session. An event is acked once its seats are recorded in
 * Redis; whichever instance holds the session's flush turn sends the delta. A batch of refusals
 * changes no seat: ignored, like a single refusal (`seatStatusChange` decides every SeatEvent).
 */
export function followSeats(bus: Bus, deltas: SeatDeltas, logger: BusLogger, hooks: OutcomeHooks = noHooks): Promise<Consumption> {
  return consume(bus, {
    stream: STREAMS.seatEvents,
    consumer: NOTIFICATION_CONSUMERS.seats,
    schema: NOTIFICATION_CONSUMER_SCHEMAS.seats,
    logger,
    maxMessages: 1000,
    onOutcome: hooks(NOTIFICATION_CONSUMERS.seats),
    handle: async (message) => {
      if (message.type === "HoldRejectedBatch") return;
      const change = seatStatusChange(message);
      if (change) await deltas.mark(message.sessionId, change.seatIds);
    },
  });
}

/** Order events → the buyer's room. */
export function followOrders(
  bus: Bus,
  send: (buyerId: string, update: OrderUpdate) => void,
  logger: BusLogger,
  hooks: OutcomeHooks = noHooks,
): Promise<Consumption> {
  return consume(bus, {
    stream: STREAMS.orders,
    consumer: NOTIFICATION_CONSUMERS.orders,
    schema: NOTIFICATION_CONSUMER_SCHEMAS.orders,
    logger,
    onOutcome: hooks(NOTIFICATION_CONSUMERS.orders),
    handle: async (event) => send(event.buyerId, { orderId: event.orderId, status: event.status, at: event.at }),
  });
}

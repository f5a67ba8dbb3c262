import { type Bus, type BusLogger, type Consumption, consume, consumeBatches } from "@rush/bus";
import { OrderEvent, type OrderUpdate, STREAMS, SeatEvent, seatStatusChange } from "@rush/contracts";
import type { SeatDeltas } from "./seat-deltas.ts";

/** The durable consumers (nats/consumers) shared by every notification instance. */
export const NOTIFICATION_CONSUMERS = { seats: "notification-seats", orders: "notification-orders" } as const;

/**
 * Seat events → dirty seats of their session. Events are acked once their seats are recorded in
 * Redis; whichever instance holds the session's flush turn sends the delta. Events delivered
 * together are recorded together: one Redis call per session per batch instead of one per event.
 */
export function followSeats(bus: Bus, deltas: SeatDeltas, logger: BusLogger): Promise<Consumption> {
  const markOne = async (event: SeatEvent) => {
    const change = seatStatusChange(event);
    if (change) await deltas.mark(event.sessionId, change.seatIds);
  };
  return consumeBatches(bus, {
    stream: STREAMS.seatEvents,
    consumer: NOTIFICATION_CONSUMERS.seats,
    schema: SeatEvent,
    logger,
    maxDeliver: 20,
    maxMessages: 1000,
    handle: markOne,
    handleBatch: async (items) => {
      const bySession = new Map<string, string[]>();
      for (const { value } of items) {
        const change = seatStatusChange(value);
        if (change) bySession.set(value.sessionId, [...(bySession.get(value.sessionId) ?? []), ...change.seatIds]);
      }
      await Promise.all([...bySession].map(([sessionId, seatIds]) => deltas.mark(sessionId, seatIds)));
    },
  });
}

/** Order events → the buyer's room. */
export function followOrders(bus: Bus, send: (buyerId: string, update: OrderUpdate) => void, logger: BusLogger): Promise<Consumption> {
  return consume(bus, {
    stream: STREAMS.orders,
    consumer: NOTIFICATION_CONSUMERS.orders,
    schema: OrderEvent,
    logger,
    handle: async (event) => send(event.buyerId, { orderId: event.orderId, status: event.status, at: event.at }),
  });
}

import { type Bus, type BusLogger, type Consumption, consume, decode } from "@rush/bus";
import { OrderEvent, type OrderUpdate, STREAMS, SeatEvent, seatStatusChange } from "@rush/contracts";
import type { SeatDeltas } from "./seat-deltas.ts";

/** The durable consumers (nats/consumers) shared by every notification instance. */
export const NOTIFICATION_CONSUMERS = { seats: "notification-seats", orders: "notification-orders" } as const;

/**
 * Seat events → dirty seats of their session. An event is acked once its seats are recorded in
 * Redis; whichever instance holds the session's flush turn sends the delta.
 */
export async function followSeats(bus: Bus, deltas: SeatDeltas, logger: BusLogger): Promise<Consumption> {
  const consumer = await bus.js.consumers.get(STREAMS.seatEvents, NOTIFICATION_CONSUMERS.seats);
  const messages = await consumer.consume({ max_messages: 1000 });
  const done = (async () => {
    for await (const msg of messages) {
      const decoded = decode(SeatEvent, msg.data);
      if (!decoded.ok) {
        logger.error({ subject: msg.subject, seq: msg.seq, error: decoded.error }, "poison message terminated");
        msg.term();
        continue;
      }
      const change = seatStatusChange(decoded.value);
      try {
        if (change) await deltas.mark(decoded.value.sessionId, change.seatIds);
        msg.ack();
      } catch (error) {
        logger.warn({ subject: msg.subject, seq: msg.seq, err: error }, "could not record a seat change; will retry");
        msg.nak(500);
      }
    }
  })();
  return {
    done,
    stop: async () => {
      messages.stop();
      await done;
    },
  };
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

import { DeliverPolicy } from "@nats-io/jetstream";
import { type Bus, type BusLogger, type ConsumeOutcome, type Consumption, consumeBatches, decode } from "@rush/bus";
import {
  OrderEvent,
  type OrderUpdate,
  STREAMS,
  type SessionUpdate,
  SeatStreamMessage,
  type WaitlistOfferUpdate,
  orderIdForHold,
  seatStatusChange,
} from "@rush/contracts";
import type { SeatDeltas } from "./seat-deltas.ts";

/** The durable consumer (nats/consumers) shared by every notification instance, and the ordered one each reads `order.>` with (named for metrics). */
export const NOTIFICATION_CONSUMERS = { seats: "notification-seats", orders: "notification-orders" } as const;
/** What each of them decodes: every message type its filter can deliver (see the contract test). */
export const NOTIFICATION_CONSUMER_SCHEMAS = { seats: SeatStreamMessage, orders: OrderEvent } as const;

/** How long a batch of seat events waits for more (well under the delta flush interval). */
const SEAT_EVENT_LINGER_MS = 25;

/** Per-consumer outcome hooks (metrics); none by default. */
export type OutcomeHooks = (consumer: string) => (outcome: ConsumeOutcome) => void;
const noHooks: OutcomeHooks = () => () => {};

/**
 * Seat events → dirty seats of their session. Events are acked once their seats are recorded in
 * Redis; whichever instance holds the session's flush turn sends the delta. Events delivered
 * together are recorded together: one Redis call per session per batch instead of one per event.
 * A batch of refusals changes no seat: ignored, like a single refusal.
 */
export function followSeats(
  bus: Bus,
  deltas: SeatDeltas,
  logger: BusLogger,
  hooks: OutcomeHooks = noHooks,
  offers: (buyerId: string, update: WaitlistOfferUpdate) => void = () => {},
): Promise<Consumption> {
  // This consumer is shared by the instances (each event once): the offer goes through the adapter to whichever holds the buyer's sockets.
  const tellOffer = (message: SeatStreamMessage) => {
    if (message.type !== "WaitlistOffered") return;
    const { sessionId, areaId, holdId, buyerId, seatIds, expiresAt } = message;
    offers(buyerId, { sessionId, areaId, status: "offered", holdId, orderId: orderIdForHold(holdId), seatIds, expiresAt: new Date(expiresAt).toISOString() });
  };
  const changeOf = (message: SeatStreamMessage) => {
    if (message.type === "HoldRejectedBatch") return undefined;
    const change = seatStatusChange(message);
    return change && { sessionId: message.sessionId, seatIds: change.seatIds };
  };
  return consumeBatches(bus, {
    stream: STREAMS.seatEvents,
    consumer: NOTIFICATION_CONSUMERS.seats,
    schema: NOTIFICATION_CONSUMER_SCHEMAS.seats,
    logger,
    maxMessages: 1000,
    // Deltas go out per session every flush interval anyway: gathering events for a while costs no buyer anything.
    lingerMs: SEAT_EVENT_LINGER_MS,
    onOutcome: hooks(NOTIFICATION_CONSUMERS.seats),
    handle: async (message) => {
      tellOffer(message);
      const change = changeOf(message);
      if (change) await deltas.mark(change.sessionId, change.seatIds);
    },
    handleBatch: async (items) => {
      const bySession = new Map<string, string[]>();
      for (const { value } of items) {
        tellOffer(value);
        const change = changeOf(value);
        if (!change) continue;
        // Appended in place: copying the session's list per event was quadratic in the batch.
        const seats = bySession.get(change.sessionId);
        if (seats) seats.push(...change.seatIds);
        else bySession.set(change.sessionId, [...change.seatIds]);
      }
      await Promise.all([...bySession].map(([sessionId, seatIds]) => deltas.mark(sessionId, seatIds)));
    },
  });
}

/** Where order-stream news goes on this instance: a buyer's order room, a session's watchers. */
export interface OrderFeedTargets {
  order(buyerId: string, update: OrderUpdate): void;
  session(sessionId: string, update: SessionUpdate): void;
  /** Whether any socket on this instance would receive it (absent: assume so). */
  watched?(target: { buyerId: string } | { sessionId: string }): boolean;
}

const textDecoder = new TextDecoder();

/** Who an order event is for, read without validating it (it is validated if anyone here listens). */
function targetOf(data: Uint8Array): { buyerId: string } | { sessionId: string } | undefined {
  try {
    const raw = JSON.parse(textDecoder.decode(data)) as { type?: unknown; buyerId?: unknown; sessionId?: unknown };
    if (raw.type === "SessionCancelled") return typeof raw.sessionId === "string" ? { sessionId: raw.sessionId } : undefined;
    return typeof raw.buyerId === "string" ? { buyerId: raw.buyerId } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Order events → the buyer's room, on THIS instance's sockets (a cancelled session: its seat map watchers). Every instance reads `order.>`
 * itself through an ordered consumer (ephemeral, no acks, resumed from its last sequence after a
 * NATS restart) and tells only its own sockets: the Redis adapter would otherwise carry each
 * update to every instance anyway, after a shared durable consumer's delivery and ack — three
 * messages and a Redis PUBLISH per order event instead of one delivery per instance. A message
 * that fails its contract is logged and skipped: a live update has no one to retry it for.
 */
export async function followOrders(
  bus: Bus,
  send: OrderFeedTargets,
  logger: BusLogger,
  hooks: OutcomeHooks = noHooks,
): Promise<Consumption> {
  const report = hooks(NOTIFICATION_CONSUMERS.orders);
  const consumer = await bus.js.consumers.get(STREAMS.orders, { filter_subjects: "order.>", deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume({
    max_messages: 1000,
    callback: (msg) => {
      // Every instance reads every order event, but only the one holding the buyer's sockets has
      // anyone to tell: the others (and this one, for a buyer with no page open) skip it before
      // the contract check and the socket.io encoding, which cost more than the JSON parse.
      const target = send.watched ? targetOf(msg.data) : undefined;
      if (target && !send.watched!(target)) {
        report({ kind: "handled" });
        return;
      }
      const decoded = decode(NOTIFICATION_CONSUMER_SCHEMAS.orders, msg.data);
      if (!decoded.ok) {
        logger.warn({ subject: msg.subject, seq: msg.seq, error: decoded.error.slice(0, 500) }, "order event skipped: it breaks its contract");
        return;
      }
      const event = decoded.value;
      if (event.type === "SessionCancelled") {
        send.session(event.sessionId, { sessionId: event.sessionId, status: "cancelled", at: event.at, ...(event.reason ? { reason: event.reason } : {}) });
      } else {
        send.order(event.buyerId, { orderId: event.orderId, status: event.status, at: event.at, ...(event.reason ? { reason: event.reason } : {}) });
      }
      report({ kind: "handled" });
    },
  });
  const done = messages.closed().then(() => {});
  return {
    done,
    stop: async () => {
      messages.stop();
      await done;
    },
  };
}

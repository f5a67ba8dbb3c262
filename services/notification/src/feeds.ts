import { DeliverPolicy } from "@nats-io/jetstream";
import { type Bus, type BusLogger, type ConsumeOutcome, type Consumption, consume, decode } from "@rush/bus";
import {
  OrderEvent,
  type OrderUpdate,
  STREAMS,
  type SessionUpdate,
  type WaitlistOfferUpdate,
  WaitlistStreamEvent,
  orderIdForHold,
} from "@rush/contracts";

/**
 * The durable consumer (nats/consumers) shared by every notification instance, and the ordered
 * one each reads `order.>` with (named for metrics). Seat-map deltas need no consumer: the seat
 * actor writes each change set to Redis with the change (seat-deltas.ts).
 */
export const NOTIFICATION_CONSUMERS = { waitlist: "notification-waitlist", orders: "notification-orders" } as const;
/** What each of them decodes: every message type its filter can deliver (see the contract test). */
export const NOTIFICATION_CONSUMER_SCHEMAS = { waitlist: WaitlistStreamEvent, orders: OrderEvent } as const;

/** Per-consumer outcome hooks (metrics); none by default. */
export type OutcomeHooks = (consumer: string) => (outcome: ConsumeOutcome) => void;
const noHooks: OutcomeHooks = () => () => {};

/**
 * Waiting-list offers → the buyer's room. The consumer is shared by the instances (each event
 * once): the offer goes through the adapter to whichever holds the buyer's sockets. Joins and
 * leaves are on the same subjects and concern no socket.
 */
export function followWaitlist(
  bus: Bus,
  logger: BusLogger,
  offers: (buyerId: string, update: WaitlistOfferUpdate) => void,
  hooks: OutcomeHooks = noHooks,
): Promise<Consumption> {
  return consume(bus, {
    stream: STREAMS.seatEvents,
    consumer: NOTIFICATION_CONSUMERS.waitlist,
    schema: NOTIFICATION_CONSUMER_SCHEMAS.waitlist,
    logger,
    onOutcome: hooks(NOTIFICATION_CONSUMERS.waitlist),
    handle: async (message) => {
      if (message.type !== "WaitlistOffered") return;
      const { sessionId, areaId, holdId, buyerId, seatIds, expiresAt } = message;
      offers(buyerId, { sessionId, areaId, status: "offered", holdId, orderId: orderIdForHold(holdId), seatIds, expiresAt: new Date(expiresAt).toISOString() });
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

import { z } from "zod";
import { OrderStatus } from "./order-events.ts";
import { SeatId } from "./seat-inventory.ts";

/**
 * Live updates over socket.io (API.md "Live updates"), served by the notification service at
 * `SOCKET_PATH` and reached through the gate's origin. The handshake carries the access token:
 * `io(url, { path: SOCKET_PATH, auth: { token } })`.
 */
export const SOCKET_PATH = "/socket.io";

export const SocketAuth = z.object({ token: z.string().min(1).max(8192) });

/** Event names, both directions. */
export const SOCKET_EVENTS = {
  /** client → server: `SubscribeRequest`, acknowledged with `SubscribeAck`. */
  subscribe: "subscribe",
  /** client → server: `SubscribeRequest`. */
  unsubscribe: "unsubscribe",
  /** server → client: `SeatsUpdate`. */
  seats: "seats",
  /** server → client: `OrderUpdate`. */
  order: "order",
  /** server → client: `QueueUpdate`. */
  queue: "queue",
  /** server → client, to a session's seat map watchers: `SessionUpdate` (the session was cancelled). */
  session: "session",
  /** server → client, to the buyer (their orders room): `WaitlistOfferUpdate`. */
  waitlist: "waitlist",
} as const;

/** Rooms: a session's seat map watchers, and one buyer's order updates. */
export const socketRooms = {
  sessionSeats: (sessionId: string) => `session:${sessionId}:seats`,
  userOrders: (userId: string) => `user:${userId}:orders`,
} as const;

export const SubscribeRequest = z.strictObject({ sessionId: z.uuid() });
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

/** The subscription's starting point: the seat map's current `version` and the last delta's `seq`. */
export const SubscribeAck = z.union([
  z.object({ ok: z.literal(true), sessionId: z.uuid(), version: z.int().min(0), seq: z.int().min(0) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type SubscribeAck = z.infer<typeof SubscribeAck>;

/** What a seat map shows live (blocked seats show as sold, as in `GET /v1/sessions/:id/seats`). */
export const LiveSeatStatus = z.enum(["available", "held", "sold"]);
export type LiveSeatStatus = z.infer<typeof LiveSeatStatus>;

/**
 * Seat changes of one session, coalesced (at most one delta per session every ~100 ms).
 * Each change is the seat's status in the read model at `version` (the same counter as
 * `GET /v1/sessions/:id/seats` answers), so a delta is a snapshot of the seats it names:
 * - apply a delta whose `version` is ≥ the version of the map you hold; ignore an older one;
 * - `seq` counts the session's deltas one by one: if it skips (`seq !== last + 1`), or after a
 *   reconnect, a delta was missed: fetch the map again.
 */
export const SeatsUpdate = z.object({
  sessionId: z.uuid(),
  version: z.int().min(0),
  seq: z.int().min(1),
  changes: z.array(z.object({ id: SeatId, status: LiveSeatStatus })),
});
export type SeatsUpdate = z.infer<typeof SeatsUpdate>;

/** One of the buyer's orders changed status. */
export const OrderUpdate = z.object({ orderId: z.uuid(), status: OrderStatus, at: z.int(), reason: z.string().optional() });
export type OrderUpdate = z.infer<typeof OrderUpdate>;

/** A session a buyer watches changed for good: `cancelled` (its paid orders are being refunded). */
export const SessionUpdate = z.object({ sessionId: z.uuid(), status: z.literal("cancelled"), reason: z.string().optional(), at: z.int() });
export type SessionUpdate = z.infer<typeof SessionUpdate>;

/** The buyer's place in a session's waiting room (sent while waiting, and once when admitted). */
export const QueueUpdate = z.object({ sessionId: z.uuid(), position: z.int().min(0), admitted: z.boolean() });
export type QueueUpdate = z.infer<typeof QueueUpdate>;

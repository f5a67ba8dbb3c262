import { z } from "zod";
import { Money } from "../money.ts";
import { OrderStatus } from "../order-events.ts";
import { PaymentProviderName, PaymentStatus } from "../payment-events.ts";
import { AreaId, SeatId } from "../seat-inventory.ts";
import { Email } from "./identity.ts";

/**
 * HTTP bodies of orders, payments and tickets (API.md "Buying"), served by the order and
 * payment services behind the gate.
 */

export const OrderIdParams = z.strictObject({ orderId: z.uuid() });
export const TicketIdParams = z.strictObject({ id: z.uuid() });
export const WebhookParams = z.strictObject({ provider: PaymentProviderName });

export const OrderItemView = z.object({ seatId: SeatId, price: Money });
export type OrderItemView = z.infer<typeof OrderItemView>;

/** `GET /v1/orders/:orderId`. */
export const OrderView = z.object({
  id: z.uuid(),
  holdId: z.uuid(),
  sessionId: z.uuid(),
  areaId: AreaId,
  status: OrderStatus,
  /** `resale`: one listed ticket bought from its holder (no seat hold behind it). Absent means `sale`. */
  kind: z.enum(["sale", "resale"]).optional(),
  /** Why the order is refunded (`organizer_refund`, `session_cancelled`, …) or why its refund is held up. */
  reason: z.string().optional(),
  items: z.array(OrderItemView),
  total: Money,
  /** ISO 8601: when the hold behind the order runs out (moves with extensions). */
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderView = z.infer<typeof OrderView>;

/** `GET /v1/me/orders?cursor=&limit=`: newest first. */
export const OrderListQuery = z.strictObject({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const OrderList = z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() });
export type OrderList = z.infer<typeof OrderList>;

/** `POST /v1/orders/:orderId/pay`. The mock provider: `method: "fail"` declines, `"slow"` answers by webhook later. */
export const PayRequest = z.strictObject({
  provider: PaymentProviderName.default("mock"),
  /** Mock: `ok` (default), `fail`, `slow`. Stripe: a PaymentMethod id (e.g. `pm_card_visa`); without one the client confirms. */
  method: z.string().min(1).max(128).optional(),
});
export type PayRequest = z.infer<typeof PayRequest>;

/** What the client must do to finish a payment (Stripe: confirm the PaymentIntent with its client secret). */
export const ClientAction = z.object({
  type: z.enum(["confirm_payment", "wait_for_webhook"]),
  clientSecret: z.string().optional(),
});
export type ClientAction = z.infer<typeof ClientAction>;

export const PayResponse = z.object({
  orderId: z.uuid(),
  /** The order's status as this payment leaves it. */
  status: OrderStatus,
  paymentId: z.uuid(),
  paymentStatus: PaymentStatus,
  clientAction: ClientAction.optional(),
  /** Why a payment failed or was refunded. */
  reason: z.string().optional(),
});
export type PayResponse = z.infer<typeof PayResponse>;

/**
 * `POST /v1/orders/:orderId/refund` (the organizer of the order's event, or an admin): gives a
 * completed order's money back through its provider, voids its tickets and puts its seats back
 * on sale. Idempotent by order: a second request (a double click, a retried `Idempotency-Key`)
 * answers where the one refund stands and never refunds twice.
 */
export const RefundRequest = z.strictObject({
  /** A note for the audit trail (payment_events). */
  note: z.string().trim().min(1).max(500).optional(),
});
export type RefundRequest = z.infer<typeof RefundRequest>;

/** 200 once refunded; 202 while `refund_pending` / `refund_failed` (retried with backoff; `error` says why it failed). */
export const RefundResponse = z.object({
  orderId: z.uuid(),
  status: OrderStatus,
  paymentId: z.uuid(),
  paymentStatus: PaymentStatus,
  reason: z.string().optional(),
  error: z.string().optional(),
});
export type RefundResponse = z.infer<typeof RefundResponse>;

/** `POST /v1/sessions/:id/cancel` (its organizer, or an admin). */
export const CancelSessionRequest = z.strictObject({
  /** Shown to buyers (e-mail, order page). */
  reason: z.string().trim().min(1).max(500).optional(),
});
export type CancelSessionRequest = z.infer<typeof CancelSessionRequest>;

/** 200: the session is `cancelled`; its completed orders are refunded in the background (each order's status shows where). */
export const CancelSessionResponse = z.object({
  sessionId: z.uuid(),
  status: z.literal("cancelled"),
  cancelledAt: z.iso.datetime(),
  /** Completed orders that are being refunded. */
  ordersToRefund: z.int().min(0),
});
export type CancelSessionResponse = z.infer<typeof CancelSessionResponse>;

export const WebhookAck = z.object({ received: z.literal(true) });

export const TicketStatus = z.enum(["valid", "used", "void"]);

export const TicketView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  sessionId: z.uuid(),
  seatId: SeatId,
  status: TicketStatus,
  version: z.int().min(1),
  /**
   * The signed QR payload `RT2.<payload>.<signature>`: payload = base64url of the JSON array
   * `[ticketId, sessionId, seatId, version, issuedAt, expiresAt, keyId]` (Unix seconds), signed
   * with Ed25519 over `RT2.<payload>`; verifiable offline with the key named by `keyId`.
   */
  qr: z.string(),
  usedAt: z.iso.datetime().optional(),
  /** The live resale listing of this ticket, if its holder offered it (`DELETE /v1/tickets/:id/resale` withdraws it). */
  listingId: z.uuid().optional(),
});
export type TicketView = z.infer<typeof TicketView>;

export const TicketList = z.object({ items: z.array(TicketView) });
export type TicketList = z.infer<typeof TicketList>;

/** `POST /v1/tickets/:id/transfer`: the ticket is re-issued to the account with that email. */
export const TransferRequest = z.strictObject({ toEmail: Email });
export const TransferResponse = z.object({
  id: z.uuid(),
  sessionId: z.uuid(),
  seatId: SeatId,
  status: TicketStatus,
  version: z.int().min(1),
  transferredTo: z.string(),
});
export type TransferResponse = z.infer<typeof TransferResponse>;

/** `POST /v1/tickets/verify` (staff). */
export const VerifyRequest = z.strictObject({ qr: z.string().min(1).max(2048) });
export const VerifyResponse = z.object({
  ticketId: z.uuid(),
  sessionId: z.uuid(),
  seatId: SeatId,
  firstUse: z.literal(true),
  usedAt: z.iso.datetime(),
});
export type VerifyResponse = z.infer<typeof VerifyResponse>;

/** `GET /v1/tickets/public-key`: what a scanner needs to check QR codes offline. */
export const TicketPublicKey = z.object({
  /** The key signing new QR codes. */
  keyId: z.string(),
  algorithm: z.literal("Ed25519"),
  /** SubjectPublicKeyInfo, PEM. */
  publicKeyPem: z.string(),
  /** Every key a QR code may name (the signing key first, then the previous ones still accepted after a rotation). */
  keys: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string() })),
});
export type TicketPublicKey = z.infer<typeof TicketPublicKey>;

/**
 * `GET /v1/sessions/:id/scan-list` (staff of the session's organizer, or admin): a scanner's
 * sync. Offline, it refuses a QR whose version is below the one listed (re-issued by a
 * transfer), a used or void ticket, and an unlisted one issued before `syncedAt`.
 */
export const ScanList = z.object({
  sessionId: z.uuid(),
  syncedAt: z.iso.datetime(),
  keys: TicketPublicKey.shape.keys,
  tickets: z.array(z.object({ id: z.uuid(), seatId: SeatId, version: z.int().min(1), status: TicketStatus })),
});
export type ScanList = z.infer<typeof ScanList>;

import { CancelSessionRequest, CancelSessionResponse, OrderIdParams, OrderList, RefundRequest, RefundResponse, ResourceIdParams } from "@rush/contracts";
import type { HTTPMethods } from "fastify";
import type { ProxiedRoute } from "./upstream-proxy.ts";

// HEAD comes with GET (Fastify exposes it).
const READS: HTTPMethods[] = ["GET"];
const WRITES: HTTPMethods[] = ["POST", "PUT", "PATCH", "DELETE"];

/** Identity and catalog: the catalog service. Publishing has its own, longer timeout. */
export const CATALOG_ROUTES: readonly ProxiedRoute[] = [
  { url: "/v1/auth/*", methods: ["POST"], rateClass: "auth", body: "small", summary: "Identity: register, login (with a one-time code once two-factor sign-in is on), refresh, logout, two-factor enrolment (/v1/auth/totp/enroll, confirm, disable), e-mail verification (/v1/auth/verify-email, /v1/auth/verify-email/resend), password reset (/v1/auth/password-reset/request, then /v1/auth/password-reset with the e-mailed token)" },
  { url: "/v1/me", methods: READS, rateClass: "read", summary: "The signed-in user" },
  { url: "/v1/users", methods: READS, rateClass: "read", summary: "Users (admin)" },
  { url: "/v1/users", methods: ["POST"], rateClass: "write", summary: "Users (admin)" },
  { url: "/v1/users/*", methods: READS, rateClass: "read", summary: "Users" },
  { url: "/v1/users/*", methods: WRITES, rateClass: "write", summary: "Users" },
  { url: "/v1/venues", methods: READS, rateClass: "read", summary: "List venues" },
  { url: "/v1/venues", methods: ["POST"], rateClass: "write", body: "large", summary: "Create a venue with its seat map" },
  { url: "/v1/venues/*", methods: READS, rateClass: "read", summary: "Venues" },
  { url: "/v1/venues/*", methods: WRITES, rateClass: "write", summary: "Venues" },
  { url: "/v1/events", methods: READS, rateClass: "read", summary: "Search events" },
  { url: "/v1/events", methods: ["POST"], rateClass: "write", summary: "Create an event" },
  { url: "/v1/events/*", methods: READS, rateClass: "read", summary: "Events and their sessions" },
  { url: "/v1/events/*", methods: WRITES, rateClass: "write", summary: "Events and their sessions" },
  { url: "/v1/sessions/:id", methods: READS, rateClass: "read", summary: "A session" },
  { url: "/v1/sessions/:id", methods: ["PATCH"], rateClass: "write", summary: "Edit a session's dates and prices while its sale has not opened (its organizer; 409 after)" },
  { url: "/v1/sessions/:id/cancel", methods: ["POST"], rateClass: "write", summary: "Cancel a session (its organizer, or an admin): seats off sale, every completed order refunded, tickets refused at the door (200, the same again when repeated; 404 no such session; 503 ask again)", docs: { params: ResourceIdParams, body: CancelSessionRequest.optional(), response: { 200: CancelSessionResponse } } },
  { url: "/v1/sessions/:id/sales", methods: READS, rateClass: "read", summary: "A session's sales: seats per area and category, revenue, holds per minute, waiting room (its organizer)" },
  { url: "/v1/me/events", methods: READS, rateClass: "read", summary: "My events with all their sessions, drafts included (organizers)" },
  { url: "/v1/me/venues", methods: READS, rateClass: "read", summary: "My venues, to reuse for a new event (organizers)" },
  { url: "/v1/sessions/:id/availability", methods: READS, rateClass: "read", summary: "Available seats per area and price category" },
];

export const CATALOG_PUBLISH_ROUTES: readonly ProxiedRoute[] = [
  { url: "/v1/sessions/:id/publish", methods: ["POST"], rateClass: "write", summary: "Publish a session: loads its inventory into the seat engine" },
];

/** Orders and tickets: the order service. */
export const ORDER_ROUTES: readonly ProxiedRoute[] = [
  { url: "/v1/orders/:orderId", methods: READS, rateClass: "read", summary: "An order (its buyer only)" },
  { url: "/v1/me/orders", methods: READS, rateClass: "read", summary: "My orders" },
  { url: "/v1/me/tickets", methods: READS, rateClass: "read", summary: "My tickets with their signed QR payloads" },
  { url: "/v1/tickets/public-key", methods: READS, rateClass: "read", summary: "The Ed25519 key that verifies ticket QR codes offline" },
  { url: "/v1/tickets/verify", methods: ["POST"], rateClass: "write", summary: "Check a ticket in (staff): first scan 200, later 409, forged 400" },
  { url: "/v1/tickets/:id/transfer", methods: ["POST"], rateClass: "write", summary: "Give a ticket to another account (the old QR stops working); 409 while it is listed for resale" },
  { url: "/v1/tickets/:id/resale", methods: ["POST", "DELETE"], rateClass: "write", summary: "List a ticket for resale at its face value (no price is taken: 400 if one is sent), or withdraw the listing (409 while a buyer is paying)" },
  { url: "/v1/sessions/:id/resale", methods: READS, rateClass: "read", summary: "A session's tickets on resale that a buyer can take now, at face value" },
  { url: "/v1/me/resale", methods: READS, rateClass: "read", summary: "My resale listings, with the payout of each one sold" },
  { url: "/v1/resale/:listingId/buy", methods: ["POST"], rateClass: "write", summary: "Buy a listed ticket: 201 a resale order to pay with /v1/orders/:orderId/pay (one buyer at a time: 409 listing_taken)" },
  { url: "/v1/sessions/:id/orders", methods: READS, rateClass: "read", summary: "A session's paid orders, with their refund state (its organizer, or an admin; 403 another organizer's, 404 no such session)", docs: { params: ResourceIdParams, response: { 200: OrderList } } },
  { url: "/v1/sessions/:id/scan-list", methods: READS, rateClass: "read", summary: "A scanner's sync: the session's tickets and keys (staff of its organizer)" },
];

/** Paying and provider webhooks: the payment service. Webhooks carry their own signature (checked upstream, so their bodies stay at the standard limit). */
export const PAYMENT_ROUTES: readonly ProxiedRoute[] = [
  { url: "/v1/orders/:orderId/pay", methods: ["POST"], rateClass: "write", summary: "Pay an order (mock or stripe)" },
  { url: "/v1/payments/webhooks/:provider", methods: ["POST"], rateClass: "write", summary: "Payment provider webhooks (signed)" },
  { url: "/v1/orders/:orderId/refund", methods: ["POST"], rateClass: "write", summary: "Refund a completed order (its event's organizer, or an admin): 200 refunded, 202 under way; a repeat never refunds twice; 409 not a completed order", docs: { params: OrderIdParams, body: RefundRequest.optional(), response: { 200: RefundResponse, 202: RefundResponse } } },
];

/** socket.io's HTTP long-polling transport; the WebSocket upgrade goes through `socketUpgradeProxy`. */
export const SOCKET_POLLING_ROUTES: readonly ProxiedRoute[] = [
  { url: "/socket.io/", methods: ["GET", "POST"], rateClass: "read", summary: "Live updates (socket.io polling transport)" },
];

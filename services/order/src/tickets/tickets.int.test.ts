import { randomBytes, randomUUID } from "node:crypto";
import { publish } from "@rush/bus";
import { PaymentEvent, paymentSubject } from "@rush/contracts";
import { orderItems, orders, sessions, tickets, users } from "@rush/db";
import { createLogger, createMetrics, createTicketSigner, publicKeyOf } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderService, buildOrderService } from "../app.ts";
import { OrderConfig } from "../config.ts";
import { type PurchaseStack, type TestUser, accessToken, seedEvent, seedUser, startPurchaseStack } from "../testing/purchase-stack.ts";
import { type ScannerState, scanOffline } from "./offline-scan.ts";

describe("tickets: scanners, staff scope, keys", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let service: OrderService;
  let buyer: TestUser;
  let friend: TestUser;
  const oldKey = createTicketSigner(randomBytes(32).toString("base64"));
  const seed = randomBytes(32).toString("base64");

  const call = (method: "GET" | "POST", url: string, token?: string, payload?: object) =>
    service.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(payload ? { payload } : {}) });

  /** An organizer's session (ending in `endsInMs`) with one sold ticket of `buyer`; returns ids. */
  async function soldTicket(endsInMs = 86_400_000) {
    const { db } = stack.db;
    const now = Date.now();
    const { organizerId, eventId } = await seedEvent(stack);
    const [session] = await db
      .insert(sessions)
      .values({ eventId, startsAt: new Date(now - 1000), endsAt: new Date(now + endsInMs), saleStartsAt: new Date(now - 60_000), saleEndsAt: new Date(now - 2000) })
      .returning();
    const orderId = randomUUID();
    await db.insert(orders).values({ id: orderId, holdId: randomUUID(), sessionId: session!.id, buyerId: buyer.id, status: "completed", totalAmount: "10.00", currency: "EUR", expiresAt: new Date(now) });
    const [ticket] = await db.insert(tickets).values({ orderId, sessionId: session!.id, seatId: "A-1-1", ownerId: buyer.id }).returning();
    return { organizerId, sessionId: session!.id, ticketId: ticket!.id };
  }

  async function staffOf(organizerId: string | null): Promise<TestUser> {
    const user = await seedUser(stack, ["staff"]);
    await stack.db.db.update(users).set({ staffOrganizerId: organizerId }).where(eq(users.id, user.id));
    return user;
  }

  const myTicket = async (owner: TestUser, ticketId: string) =>
    (await call("GET", "/v1/me/tickets", owner.token)).json().items.find((t: { id: string }) => t.id === ticketId) as { qr: string; version: number };

  beforeAll(async () => {
    database = await testDatabase("tickets");
    stack = await startPurchaseStack(database);
    const previous = oldKey.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, "");
    service = await buildOrderService({
      config: OrderConfig.parse({ ...stack.env, NODE_ENV: "test", TICKET_SIGNING_KEY: seed, TICKET_PREVIOUS_PUBLIC_KEYS: previous, TICKET_QR_GRACE_HOURS: "0" }),
      bus: stack.bus,
      db: stack.db,
      logger: createLogger("tickets-test", "silent"),
      metrics: createMetrics("tickets-test"),
    });
    await service.app.ready();
    [buyer, friend] = await Promise.all([seedUser(stack), seedUser(stack)]);
  });
  afterAll(async () => {
    await service?.app.close();
    await stack?.close();
    await database?.drop();
  });

  it("tickets: staff check in only their own organizer's events (403, nothing changes); admins any", async () => {
    const { organizerId, sessionId, ticketId } = await soldTicket();
    const { qr } = await myTicket(buyer, ticketId);
    const [stranger, unassigned, own] = [await staffOf((await soldTicket()).organizerId), await staffOf(null), await staffOf(organizerId)];
    for (const who of [stranger, unassigned]) {
      const refused = await call("POST", "/v1/tickets/verify", who.token, { qr });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "not_your_event" });
      expect((await call("GET", `/v1/sessions/${sessionId}/scan-list`, who.token)).statusCode).toBe(403);
    }
    expect((await stack.db.db.select().from(tickets).where(eq(tickets.id, ticketId)))[0]?.status).toBe("valid");
    expect((await call("POST", "/v1/tickets/verify", own.token, { qr })).statusCode).toBe(200);
    const second = await soldTicket();
    const admin = accessToken(randomUUID(), ["admin"]);
    expect((await call("POST", "/v1/tickets/verify", admin, { qr: (await myTicket(buyer, second.ticketId)).qr })).statusCode).toBe(200);
  });

  it("tickets: after a transfer, a scanner refuses the old QR with its last sync alone; the new one passes", async () => {
    const { organizerId, sessionId, ticketId } = await soldTicket();
    const staff = await staffOf(organizerId);
    const oldQr = (await myTicket(buyer, ticketId)).qr;
    expect((await call("POST", `/v1/tickets/${ticketId}/transfer`, buyer.token, { toEmail: friend.email })).statusCode).toBe(200);
    const newQr = (await myTicket(friend, ticketId)).qr;
    // The scanner syncs, then loses the network.
    const sync = await call("GET", `/v1/sessions/${sessionId}/scan-list`, staff.token);
    expect(sync.statusCode).toBe(200);
    const list = sync.json();
    expect(list.tickets).toEqual([{ id: ticketId, seatId: "A-1-1", version: 2, status: "valid" }]);
    const state: ScannerState = {
      sessionId,
      syncedAt: Date.parse(list.syncedAt),
      keys: new Map(list.keys.map((k: { keyId: string; publicKeyPem: string }) => [k.keyId, publicKeyOf(k.publicKeyPem)])),
      tickets: new Map(list.tickets.map((t: { id: string }) => [t.id, t])),
      admitted: new Set(),
    };
    expect(scanOffline(oldQr, state, Date.now())).toMatchObject({ admit: false, reason: "superseded" });
    expect(scanOffline(newQr, state, Date.now())).toMatchObject({ admit: true });
    // Online, the same answer.
    expect((await call("POST", "/v1/tickets/verify", staff.token, { qr: oldQr })).json()).toMatchObject({ code: "ticket_superseded" });
    expect((await call("GET", `/v1/sessions/${randomUUID()}/scan-list`, staff.token)).statusCode).toBe(404);
  });

  it("tickets: keys rotate: the public-key route lists the previous key, whose QR codes still check in; an expired QR does not", async () => {
    const keys = (await call("GET", "/v1/tickets/public-key")).json();
    expect(keys.keys.map((k: { keyId: string }) => k.keyId)).toEqual([keys.keyId, oldKey.keyId]);
    const { organizerId, sessionId, ticketId } = await soldTicket();
    const staff = await staffOf(organizerId);
    const now = Math.floor(Date.now() / 1000);
    const fromOldKey = oldKey.sign({ ticketId, sessionId, seatId: "A-1-1", version: 1, issuedAt: now - 60, expiresAt: now + 3600 });
    const expired = oldKey.sign({ ticketId, sessionId, seatId: "A-1-1", version: 1, issuedAt: now - 7200, expiresAt: now - 60 });
    const refused = await call("POST", "/v1/tickets/verify", staff.token, { qr: expired });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "ticket_expired" });
    expect((await call("POST", "/v1/tickets/verify", staff.token, { qr: fromOldKey })).statusCode).toBe(200);
  });

  it("tickets: a refunded order's ticket and a cancelled session's ticket are refused at the door, saying why", async () => {
    await service.start();
    try {
      const refunded = await soldTicket();
      const staff = await staffOf(refunded.organizerId);
      const { qr } = await myTicket(buyer, refunded.ticketId);
      const [order] = await stack.db.db.select().from(orders).where(eq(orders.sessionId, refunded.sessionId));
      // The payment service asks for the refund: the order follows and its tickets are voided.
      await publish(
        stack.bus,
        paymentSubject("refund_pending", randomUUID()),
        PaymentEvent,
        {
          type: "PaymentStatusChanged", paymentId: randomUUID(), orderId: order!.id, buyerId: buyer.id, provider: "mock",
          status: "refund_pending", amount: { amount: "10.00", currency: "EUR" }, reason: "organizer_refund", at: Date.now(),
        },
        { msgId: randomUUID(), type: "PaymentStatusChanged" },
      );
      await expect.poll(async () => (await stack.db.db.select().from(orders).where(eq(orders.id, order!.id)))[0], { timeout: 5000 }).toMatchObject({
        status: "refund_pending",
        reason: "organizer_refund",
      });
      await stack.db.db.insert(orderItems).values({ orderId: order!.id, seatId: "A-1-1", amount: "10.00", currency: "EUR" });
      const view = (await call("GET", `/v1/orders/${order!.id}`, buyer.token)).json();
      expect(view).toMatchObject({ status: "refund_pending", reason: "organizer_refund" });
      const voided = await call("POST", "/v1/tickets/verify", staff.token, { qr });
      expect(voided.statusCode).toBe(409);
      expect(voided.json()).toMatchObject({ code: "ticket_void" });

      const cancelled = await soldTicket();
      const door = await staffOf(cancelled.organizerId);
      await stack.db.db.update(sessions).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(sessions.id, cancelled.sessionId));
      const refused = await call("POST", "/v1/tickets/verify", door.token, { qr: (await myTicket(buyer, cancelled.ticketId)).qr });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: "session_cancelled", title: "Session cancelled" });
      expect((await stack.db.db.select().from(tickets).where(eq(tickets.id, cancelled.ticketId)))[0]?.status).toBe("valid");
    } finally {
      await service.stop();
    }
  });
});

import { randomUUID } from "node:crypto";
import { STREAMS, ticketSubject } from "@rush/contracts";
import { orderItems, orders, payments, resaleListings, sessions, tickets } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The payment service pays the resale order: both services run here, in process, on one stack.
import { buildPaymentService, type PaymentService } from "../../../payment/src/app.ts";
import { PaymentConfig } from "../../../payment/src/config.ts";
import { createMockProvider } from "../../../payment/src/providers/mock-provider.ts";
import type { PaymentProvider } from "../../../payment/src/providers/provider.ts";
import { buildOrderService, type OrderService } from "../app.ts";
import { OrderConfig } from "../config.ts";
import { accessToken, type PurchaseStack, seedEvent, seedUser, startPurchaseStack, type TestUser } from "../testing/purchase-stack.ts";

/** The resale window. Both services read the test's clock, so a test moves time past it instead of waiting. */
const HOLD_MS = 60_000;

describe("resale at face value", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let order: OrderService;
  let payment: PaymentService;
  let seller: TestUser;
  let buyer: TestUser;
  let rival: TestUser;
  /** Provider refund calls per idempotency key, and the amount of the last one. */
  const refunds = new Map<string, number>();
  const refunded = new Map<string, string>();
  const admin = accessToken(randomUUID(), ["admin"]);
  let skewMs = 0;
  const clock = () => Date.now() + skewMs;

  const call = (service: OrderService | PaymentService, method: "GET" | "POST" | "DELETE", url: string, token?: string, payload?: object) =>
    service.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(payload ? { payload } : {}) });
  const myTickets = async (who: TestUser) => (await call(order, "GET", "/v1/me/tickets", who.token)).json().items as { id: string; sessionId: string; qr: string; status: string; listingId?: string }[];
  const listingsOf = async (ticketId: string) => stack.db.db.select().from(resaleListings).where(eq(resaleListings.ticketId, ticketId));

  /** A paid, ticketed seat of `owner` (45.00 EUR) in a session on sale, as a completed purchase leaves it. */
  const paidTicket = async (owner: TestUser, seatId = "A-1-1") => paidOrder(owner, [seatId]);

  /** A completed, settled order of `owner` with a ticket per seat (45.00 EUR each); the first seat's ticket is `ticketId`. */
  async function paidOrder(owner: TestUser, seatIds: string[]) {
    const { db } = stack.db;
    const now = Date.now();
    const { organizerId, eventId } = await seedEvent(stack);
    const [session] = await db
      .insert(sessions)
      .values({ eventId, startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 90_000_000), saleStartsAt: new Date(now - 60_000), saleEndsAt: new Date(now + 3_600_000), status: "on_sale" })
      .returning();
    const orderId = randomUUID();
    const total = `${45 * seatIds.length}.00`;
    await db.insert(orders).values({ id: orderId, holdId: randomUUID(), sessionId: session!.id, buyerId: owner.id, status: "completed", totalAmount: total, currency: "EUR", expiresAt: new Date(now) });
    await db.insert(orderItems).values(seatIds.map((seatId) => ({ orderId, seatId, amount: "45.00", currency: "EUR" })));
    const [paid] = await db
      .insert(payments)
      .values({ orderId, provider: "mock", providerRef: `mock_${randomUUID()}`, status: "succeeded", amount: total, currency: "EUR", idempotencyKey: `pay:${orderId}`, settledAt: new Date(now) })
      .returning();
    const [ticket] = await db.insert(tickets).values(seatIds.map((seatId) => ({ orderId, sessionId: session!.id, seatId, ownerId: owner.id }))).returning();
    return { sessionId: session!.id, ticketId: ticket!.id, sellerPaymentId: paid!.id, sellerOrderId: orderId, organizerId };
  }

  const list = (ticketId: string, who = seller, payload?: object) => call(order, "POST", `/v1/tickets/${ticketId}/resale`, who.token, payload);
  const buy = (listingId: string, who: TestUser) => call(order, "POST", `/v1/resale/${listingId}/buy`, who.token);
  const pay = (orderId: string, who: TestUser) => call(payment, "POST", `/v1/orders/${orderId}/pay`, who.token, {});

  beforeAll(async () => {
    database = await testDatabase("resale");
    stack = await startPurchaseStack(database);
    const mock = createMockProvider({ webhookSecret: "w".repeat(32), slowMs: 60_000, deliver: async () => {} });
    const counting: PaymentProvider = {
      ...mock,
      async refund(request) {
        refunds.set(request.idempotencyKey, (refunds.get(request.idempotencyKey) ?? 0) + 1);
        refunded.set(request.idempotencyKey, request.amount.amount);
        return mock.refund(request);
      },
    };
    order = await buildOrderService({
      config: OrderConfig.parse({ ...stack.env, NODE_ENV: "test", RESALE_HOLD_MS: String(HOLD_MS), RESALE_SWEEP_EVERY_MS: "300" }),
      bus: stack.bus,
      db: stack.db,
      logger: createLogger("resale-test", "silent"),
      metrics: createMetrics("resale-test"),
      clock,
    });
    payment = await buildPaymentService({
      config: PaymentConfig.parse({ ...stack.env, NODE_ENV: "test", RECONCILE_EVERY_MS: "200", RECONCILE_AFTER_MS: "500", RECONCILE_OPEN_AFTER_MS: "3600000", PAY_ORDER_WAIT_MS: "0" }),
      bus: stack.bus,
      db: stack.db,
      seats: stack.seats,
      providers: { mock: counting },
      logger: createLogger("resale-test", "silent"),
      metrics: createMetrics("resale-test-payment"),
      clock,
    });
    await Promise.all([order.app.ready(), payment.app.ready()]);
    await order.start();
    payment.start();
    [seller, buyer, rival] = await Promise.all([seedUser(stack), seedUser(stack), seedUser(stack)]);
  });
  afterAll(async () => {
    await payment?.stop();
    await order?.stop();
    await payment?.app.close();
    await order?.app.close();
    await stack?.close();
    await database?.drop();
  });

  it("resale: list → buy → pay: the old QR is refused, the new one admits, the seller is refunded once", async () => {
    const { sessionId, ticketId, sellerPaymentId } = await paidTicket(seller);
    const oldQr = (await myTickets(seller)).find((t) => t.id === ticketId)!.qr;
    const listed = await list(ticketId);
    expect(listed.statusCode).toBe(201);
    const listing = listed.json();
    expect(listing).toMatchObject({ ticketId, seatId: "A-1-1", price: { amount: "45.00", currency: "EUR" }, status: "listed", reserved: false });
    expect((await myTickets(seller)).find((t) => t.id === ticketId)?.listingId).toBe(listing.id);
    expect((await call(order, "GET", `/v1/sessions/${sessionId}/resale`)).json().items).toEqual([
      { id: listing.id, sessionId, seatId: "A-1-1", price: { amount: "45.00", currency: "EUR" } },
    ]);

    const bought = await buy(listing.id, buyer);
    expect(bought.statusCode).toBe(201);
    const { orderId } = bought.json();
    // Taken while the buyer pays: off the offers list, and a double click answers the same order.
    expect((await call(order, "GET", `/v1/sessions/${sessionId}/resale`)).json().items).toEqual([]);
    expect((await buy(listing.id, buyer)).json()).toMatchObject({ orderId });
    const paid = await pay(orderId, buyer);
    expect(paid.json()).toMatchObject({ orderId, status: "completed", paymentStatus: "succeeded" });
    expect((await call(order, "GET", `/v1/orders/${orderId}`, buyer.token)).json()).toMatchObject({ status: "completed", kind: "resale", total: { amount: "45.00" } });

    const refused = await call(order, "POST", "/v1/tickets/verify", admin, { qr: oldQr });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "ticket_resold", ticketId });
    const fresh = (await myTickets(buyer)).find((t) => t.status === "valid");
    expect(fresh?.id).not.toBe(ticketId);
    expect((await call(order, "POST", "/v1/tickets/verify", admin, { qr: fresh!.qr })).json()).toMatchObject({ ticketId: fresh!.id, seatId: "A-1-1", firstUse: true });

    // The seller's payout: the face value back to the payment that bought the ticket, once.
    await expect.poll(async () => (await listingsOf(ticketId))[0]?.payoutStatus, { timeout: 5000 }).toBe("refunded");
    await new Promise((r) => setTimeout(r, 800)); // a few reconciler passes: nothing is paid again
    expect(refunds.get(`resale:${listing.id}`)).toBe(1);
    expect(refunds.get(`refund:${sellerPaymentId}`)).toBeUndefined();
    expect((await call(order, "GET", "/v1/me/resale", seller.token)).json().items[0]).toMatchObject({ id: listing.id, status: "sold", payoutStatus: "refunded" });

    // Replayable: the resale is on the TICKETS stream, the buyer's completed order on ORDERS.
    const resold = await stack.bus.jsm.streams.getMessage(STREAMS.tickets, { last_by_subj: ticketSubject("resold", ticketId) });
    expect(resold?.json()).toMatchObject({ type: "TicketResold", listingId: listing.id, newTicketId: fresh!.id, sellerId: seller.id, buyerId: buyer.id, orderId });
    const completed = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.completed.${orderId}` });
    expect(completed?.json()).toMatchObject({ orderId, status: "completed" });
  });

  it("resale: two buyers race for one listing: one wins, the other gets 409; an abandoned order frees it after its window", async () => {
    const { sessionId, ticketId } = await paidTicket(seller);
    const listing = (await list(ticketId)).json();
    const answers = await Promise.all([buy(listing.id, buyer), buy(listing.id, rival)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const loser = answers.find((a) => a.statusCode === 409)!;
    expect(loser.json()).toMatchObject({ code: "listing_taken" });
    const winner = answers.find((a) => a.statusCode === 201)!.json();
    const [abandoner, patient] = answers[0]!.statusCode === 201 ? [buyer, rival] : [rival, buyer];

    // The winner never pays: after the window the listing is on offer again and the other buyer gets it.
    skewMs += HOLD_MS + 1000;
    expect((await call(order, "GET", `/v1/sessions/${sessionId}/resale`)).json().items).toHaveLength(1);
    const second = await buy(listing.id, patient);
    expect(second.statusCode).toBe(201);
    const late = await pay(winner.orderId, abandoner);
    expect(late.statusCode).toBe(409);
    expect((await call(order, "GET", `/v1/orders/${winner.orderId}`, abandoner.token)).json()).toMatchObject({ status: "expired" });
    expect((await pay(second.json().orderId, patient)).json()).toMatchObject({ status: "completed" });
    expect((await myTickets(seller)).find((t) => t.id === ticketId)?.status).toBe("void");
  });

  it("resale: an organizer refund of the seller's order afterwards gives back only what the resale did not; the buyer keeps the ticket", async () => {
    const { sessionId, ticketId, sellerPaymentId, sellerOrderId, organizerId } = await paidOrder(seller, ["A-2-1", "A-2-2"]);
    const listing = (await list(ticketId)).json();
    const { orderId } = (await buy(listing.id, buyer)).json();
    expect((await pay(orderId, buyer)).json()).toMatchObject({ status: "completed" });
    await expect.poll(async () => (await listingsOf(ticketId))[0]?.payoutStatus, { timeout: 5000 }).toBe("refunded");
    expect(refunded.get(`resale:${listing.id}`)).toBe("45.00");

    const answer = await call(payment, "POST", `/v1/orders/${sellerOrderId}/refund`, accessToken(organizerId, ["organizer"]), {});
    expect([200, 202]).toContain(answer.statusCode);
    await expect.poll(async () => (await stack.db.db.select().from(payments).where(eq(payments.id, sellerPaymentId)))[0]?.status, { timeout: 5000 }).toBe("refunded");
    // 90.00 paid, 45.00 already back through the resale: the refund is the other 45.00, once.
    expect([refunds.get(`refund:${sellerPaymentId}`), refunded.get(`refund:${sellerPaymentId}`)]).toEqual([1, "45.00"]);
    const sellers = async () => (await stack.db.db.select().from(tickets).where(eq(tickets.orderId, sellerOrderId))).map((t) => `${t.seatId}:${t.voidReason}`).sort();
    await expect.poll(sellers, { timeout: 5000 }).toEqual(["A-2-1:resold", "A-2-2:refunded"]);
    expect((await myTickets(buyer)).filter((t) => t.sessionId === sessionId)).toMatchObject([{ status: "valid" }]);
  });

  it("resale: a cancelled session sells nothing on resale: off the offers, and a payment already running is refunded", async () => {
    const { sessionId, ticketId, sellerPaymentId } = await paidTicket(seller);
    const listing = (await list(ticketId)).json();
    const { orderId } = (await buy(listing.id, buyer)).json();
    await stack.db.db.update(sessions).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(sessions.id, sessionId));
    expect((await call(order, "GET", `/v1/sessions/${sessionId}/resale`)).json().items).toEqual([]);
    // Refused because the session is cancelled, or because its cancellation already took the seller's
    // payment back (and voided the ticket): whichever the reconciler reached first.
    const paid = (await pay(orderId, buyer)).json();
    expect(paid).toMatchObject({ status: "refunded" });
    expect(paid.reason).toMatch(/^resale_(session_cancelled|seller_refunded|ticket_changed)$/);
    expect((await stack.db.db.select().from(tickets).where(eq(tickets.id, ticketId)))[0]?.voidReason).not.toBe("resold");
    // The seller's whole payment goes back with the cancellation: nothing was paid out.
    await expect.poll(() => refunded.get(`refund:${sellerPaymentId}`), { timeout: 5000 }).toBe("45.00");
    expect(refunds.get(`resale:${listing.id}`)).toBeUndefined();
  });

  it("resale: listing and transferring one ticket at once: exactly one wins", async () => {
    for (let round = 0; round < 4; round++) {
      const { ticketId } = await paidTicket(seller);
      const [listed, transferred] = await Promise.all([
        list(ticketId),
        call(order, "POST", `/v1/tickets/${ticketId}/transfer`, seller.token, { toEmail: rival.email }),
      ]);
      expect([listed.statusCode, transferred.statusCode].filter((s) => s < 300)).toHaveLength(1);
      const [ticket] = await stack.db.db.select().from(tickets).where(eq(tickets.id, ticketId));
      const live = (await listingsOf(ticketId)).filter((l) => l.status === "listed");
      if (listed.statusCode === 201) {
        expect(transferred.json()).toMatchObject({ code: "ticket_not_transferable", ticketStatus: "listed" });
        expect([ticket!.ownerId, live.length]).toEqual([seller.id, 1]);
      } else {
        // Transferred first: the seller holds no such ticket any more.
        expect(listed.json()).toMatchObject({ status: 404, code: "not_found" });
        expect([ticket!.ownerId, live.length]).toEqual([rival.id, 0]);
      }
    }
  });

  it("resale: bad input gets a 4xx and changes nothing: not the holder, a price, a scanned ticket, a double listing", async () => {
    const { ticketId } = await paidTicket(seller);
    const { ticketId: scanned } = await paidTicket(seller, "A-1-2");
    await stack.db.db.update(tickets).set({ status: "used", usedAt: new Date() }).where(eq(tickets.id, scanned));

    expect((await list(ticketId, buyer)).statusCode).toBe(404);
    const priced = await list(ticketId, seller, { price: { amount: "450.00", currency: "EUR" } });
    expect(priced.statusCode).toBe(400);
    expect(priced.headers["content-type"]).toContain("application/problem+json");
    expect(JSON.stringify(priced.json().errors)).toContain("price");
    expect((await list(scanned)).json()).toMatchObject({ status: 409, code: "ticket_not_listable", reason: "ticket_used" });
    expect((await call(order, "POST", "/v1/tickets/not-a-uuid/resale", seller.token)).statusCode).toBe(400);
    expect((await call(order, "POST", `/v1/tickets/${ticketId}/resale`)).statusCode).toBe(401);
    expect(await listingsOf(ticketId)).toEqual([]);
    expect(await listingsOf(scanned)).toEqual([]);

    const first = (await list(ticketId)).json();
    const again = await list(ticketId);
    expect(again.json()).toMatchObject({ status: 409, code: "already_listed" });
    expect(await listingsOf(ticketId)).toHaveLength(1);
    expect((await buy(first.id, seller)).json()).toMatchObject({ status: 409, code: "own_listing" });
    expect((await buy(randomUUID(), buyer)).statusCode).toBe(404);
    expect((await call(order, "POST", `/v1/resale/${first.id}/buy`, buyer.token, { price: "1.00" })).statusCode).toBe(400);
    expect((await listingsOf(ticketId))[0]).toMatchObject({ status: "listed", orderId: null });

    // Withdrawn by its seller (not by anyone else): off the offers, and the ticket is the seller's as before.
    expect((await call(order, "DELETE", `/v1/tickets/${ticketId}/resale`, buyer.token)).statusCode).toBe(404);
    expect((await call(order, "DELETE", `/v1/tickets/${ticketId}/resale`, seller.token)).statusCode).toBe(204);
    expect((await buy(first.id, buyer)).statusCode).toBe(404);
    expect((await myTickets(seller)).find((t) => t.id === ticketId)).toMatchObject({ status: "valid" });
  });
});

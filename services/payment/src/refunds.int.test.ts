import { randomUUID } from "node:crypto";
import { events, orders, paymentEvents, payments, sessions } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Shared test support of issue 6's services (real servers, seeded users and sessions).
import { type PurchaseStack, type TestUser, accessToken, hold, seedSession, seedUser, startPurchaseStack } from "../../order/src/testing/purchase-stack.ts";
import { type PaymentService, buildPaymentService } from "./app.ts";
import { PaymentConfig } from "./config.ts";
import { createMockProvider } from "./providers/mock-provider.ts";
import type { PaymentProvider } from "./providers/provider.ts";
import { heldOrder } from "./testing/held-order.ts";

/**
 * A provider behind a network we control: refund calls are counted per idempotency key, fail
 * while `down`, and never answer while `hang` says so (a process killed mid-call).
 */
function refundingMock() {
  const mock = createMockProvider({ webhookSecret: "w".repeat(32), slowMs: 60_000, deliver: async () => {} });
  const calls = new Map<string, number>();
  const state = { down: false, hang: (_key: string) => false, hung: [] as ((error: Error) => void)[] };
  const provider: PaymentProvider = {
    ...mock,
    async refund(request) {
      calls.set(request.idempotencyKey, (calls.get(request.idempotencyKey) ?? 0) + 1);
      if (state.down) throw new Error("connect ECONNREFUSED (provider network down)");
      if (state.hang(request.idempotencyKey)) return new Promise((_, reject) => state.hung.push(reject));
      return mock.refund(request);
    },
  };
  return { provider, calls, state };
}

describe("refunds", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let buyer: TestUser;
  const running: PaymentService[] = [];

  async function startPayment(provider: PaymentProvider, start = true): Promise<PaymentService> {
    const service = await buildPaymentService({
      config: PaymentConfig.parse({
        ...stack.env,
        NODE_ENV: "test",
        RECONCILE_EVERY_MS: "200",
        RECONCILE_AFTER_MS: "0",
        RECONCILE_BACKOFF_MS: "200",
        RECONCILE_BACKOFF_MAX_MS: "400",
        PAY_ORDER_WAIT_MS: "300",
      }),
      bus: stack.bus,
      db: stack.db,
      seats: stack.seats,
      providers: { mock: provider },
      logger: createLogger("refund-test", "silent"),
      metrics: createMetrics("refund-test"),
    });
    await service.app.ready();
    if (start) service.start();
    running.push(service);
    return service;
  }

  const organizerOf = async (sessionId: string) => {
    const [row] = await stack.db.db.select({ id: events.organizerId }).from(sessions).innerJoin(events, eq(events.id, sessions.eventId)).where(eq(sessions.id, sessionId));
    return accessToken(row!.id, ["organizer"]);
  };
  const paymentOf = async (orderId: string) => (await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId)))[0]!;

  /** A paid, completed order of `sessionId` (the order service, not running here, would mark it completed). */
  async function completedOrder(service: PaymentService, sessionId: string, seatId: string) {
    const { orderId, holdId } = await heldOrder(stack, sessionId, buyer.id, seatId);
    const paid = await service.app.inject({ method: "POST", url: `/v1/orders/${orderId}/pay`, headers: { authorization: `Bearer ${buyer.token}` }, payload: {} });
    expect(paid.json()).toMatchObject({ status: "completed" });
    await stack.db.db.update(orders).set({ status: "completed" }).where(eq(orders.id, orderId));
    return { orderId, holdId };
  }

  const refund = (service: PaymentService, orderId: string, token: string, payload?: unknown) =>
    service.app.inject({
      method: "POST",
      url: `/v1/orders/${orderId}/refund`,
      headers: { authorization: `Bearer ${token}`, "idempotency-key": "click-1" },
      payload: (payload ?? {}) as object,
    });

  beforeAll(async () => {
    database = await testDatabase("refunds");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    buyer = await seedUser(stack);
  });
  afterAll(async () => {
    for (const service of running) {
      // A service "killed" mid-refund never finishes its pass: close its HTTP side only.
      await Promise.race([service.stop(), new Promise((r) => setTimeout(r, 500))]);
      await service.app.close();
    }
    await stack?.close();
    await database?.drop();
  });

  it("refunds: a double click refunds once and puts the seats back on sale", async () => {
    const { provider, calls } = refundingMock();
    const service = await startPayment(provider, false);
    const sessionId = await seedSession(stack, { rows: 1, perRow: 4 });
    const { orderId } = await completedOrder(service, sessionId, "A-1-1");
    const organizer = await organizerOf(sessionId);

    const answers = await Promise.all([refund(service, orderId, organizer), refund(service, orderId, organizer)]);
    for (const answer of answers) expect([200, 202]).toContain(answer.statusCode);
    expect(answers.some((a) => a.json().paymentStatus === "refunded")).toBe(true);
    const payment = await paymentOf(orderId);
    expect(payment).toMatchObject({ status: "refunded", reason: "organizer_refund" });
    expect(calls.get(`refund:${payment.id}`)).toBe(1);
    const trail = await stack.db.db.select().from(paymentEvents).where(and(eq(paymentEvents.paymentId, payment.id), eq(paymentEvents.status, "refunded")));
    expect(trail).toHaveLength(1);
    // A third click later answers where it stands and asks the provider nothing.
    const later = await refund(service, orderId, organizer);
    expect(later.statusCode).toBe(200);
    expect(calls.get(`refund:${payment.id}`)).toBe(1);
    // The engine gave the seat back: another buyer can hold it.
    const again = await hold(stack, sessionId, randomUUID(), ["A-1-1"]);
    expect(again.event?.type).toBe("SeatsHeld");
  });

  it("refunds: bad input, wrong state and another organizer's order get a 4xx and change nothing", async () => {
    const { provider, calls } = refundingMock();
    const service = await startPayment(provider, false);
    const sessionId = await seedSession(stack, { rows: 1, perRow: 4 });
    const organizer = await organizerOf(sessionId);
    const { orderId } = await completedOrder(service, sessionId, "A-1-1");
    const { orderId: unpaid } = await heldOrder(stack, sessionId, buyer.id, "A-1-2");
    const stranger = accessToken(randomUUID(), ["organizer"]);

    expect((await refund(service, "not-a-uuid", organizer)).statusCode).toBe(400);
    expect((await refund(service, orderId, organizer, { note: "x", extra: 1 })).statusCode).toBe(400);
    expect((await refund(service, randomUUID(), organizer)).statusCode).toBe(404);
    expect((await refund(service, orderId, stranger)).json()).toMatchObject({ status: 403, code: "not_owner" });
    expect((await refund(service, orderId, buyer.token)).statusCode).toBe(403);
    const notPaid = await refund(service, unpaid, organizer);
    expect(notPaid.statusCode).toBe(409);
    expect(notPaid.headers["content-type"]).toContain("application/problem+json");
    expect(notPaid.json()).toMatchObject({ code: "order_not_refundable", orderStatus: "created" });
    expect(await paymentOf(orderId)).toMatchObject({ status: "succeeded" });
    expect(calls.size).toBe(0);
  });

  it("refunds: a provider that fails shows refund_failed with its error, is retried with backoff, and completes", async () => {
    const { provider, calls, state } = refundingMock();
    const service = await startPayment(provider, false);
    const sessionId = await seedSession(stack, { rows: 1, perRow: 4 });
    const { orderId } = await completedOrder(service, sessionId, "A-1-1");
    state.down = true;
    const answer = await refund(service, orderId, await organizerOf(sessionId), { note: "customer asked" });
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toMatchObject({ status: "refund_failed", paymentStatus: "refund_failed", reason: "organizer_refund" });
    expect(answer.json().error).toContain("ECONNREFUSED");
    service.start();
    const { id } = await paymentOf(orderId);
    await expect.poll(() => calls.get(`refund:${id}`) ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(await paymentOf(orderId)).toMatchObject({ status: "refund_failed" });
    state.down = false;
    await expect.poll(async () => (await paymentOf(orderId)).status, { timeout: 5000 }).toBe("refunded");
    expect((await paymentOf(orderId)).lastError).toBeNull();
    await service.stop();
  });

  it("cancellation: a worker killed mid-cancellation resumes, and every order is refunded exactly once", async () => {
    const { provider, calls, state } = refundingMock();
    const first = await startPayment(provider, false);
    const sessionId = await seedSession(stack, { rows: 1, perRow: 6 });
    const paid: { orderId: string; holdId: string }[] = [];
    for (const seat of ["A-1-1", "A-1-2", "A-1-3", "A-1-4"]) paid.push(await completedOrder(first, sessionId, seat));
    const ids = await Promise.all(paid.map(async ({ orderId }) => (await paymentOf(orderId)).id));
    // The first worker dies inside the provider call of the third refund.
    state.hang = (key) => key === `refund:${ids[2]}`;
    await stack.db.db.update(sessions).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(sessions.id, sessionId));
    first.start();
    await expect.poll(() => calls.get(`refund:${ids[2]}`) ?? 0, { timeout: 5000 }).toBe(1);
    void first.stop();

    state.hang = () => false;
    await startPayment(provider);
    await expect
      .poll(async () => (await Promise.all(paid.map(async ({ orderId }) => (await paymentOf(orderId)).status))).join(), { timeout: 8000 })
      .toBe("refunded,refunded,refunded,refunded");
    for (const [i, id] of ids.entries()) {
      const refunded = await stack.db.db.select().from(paymentEvents).where(and(eq(paymentEvents.paymentId, id), eq(paymentEvents.status, "refunded")));
      expect(refunded).toHaveLength(1);
      // Only the refund cut off by the crash was asked again, under the same provider key.
      expect(calls.get(`refund:${id}`)).toBe(i === 2 ? 2 : 1);
      expect((await paymentOf(paid[i]!.orderId)).reason).toBe("session_cancelled");
    }
    for (const reject of state.hung) reject(new Error("worker killed"));
  });

  it("cancellation: the engine ends live holds, gives sold seats back and blocks every seat", async () => {
    const { provider } = refundingMock();
    const service = await startPayment(provider, false);
    const sessionId = await seedSession(stack, { rows: 1, perRow: 3 });
    const { holdId: sold } = await completedOrder(service, sessionId, "A-1-1");
    const live = await hold(stack, sessionId, randomUUID(), ["A-1-2"]);
    const outcome = await stack.seats.send({ type: "CancelArea", commandId: `cancel:${sessionId}:A`, sessionId, areaId: "A", now: Date.now() }, { timeoutMs: 5000 });
    expect(outcome.status).toBe("done");
    if (outcome.status !== "done") return;
    expect(outcome.reply.events.map((e) => e.type)).toEqual(["HoldReleased", "HoldRefunded", "SeatsBlocked"]);
    expect(outcome.reply.events[1]).toMatchObject({ holdId: sold, reason: "session_cancelled" });
    expect(outcome.reply.events[0]).toMatchObject({ holdId: live.holdId });
    const after = await hold(stack, sessionId, randomUUID(), ["A-1-3"]);
    expect(after.event).toMatchObject({ type: "HoldRejected", reason: "unavailable" });
  });
});

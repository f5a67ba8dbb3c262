import { PaymentEvent, STREAMS, paymentSubject } from "@rush/contracts";
import { paymentEvents, payments } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Shared test support of issue 6's services (real servers, seeded users and sessions).
import { type PurchaseStack, type TestUser, seedSession, seedUser, startPurchaseStack } from "../../order/src/testing/purchase-stack.ts";
import { type PaymentService, buildPaymentService } from "./app.ts";
import { PaymentConfig } from "./config.ts";
import { createPaymentStore } from "./payments/payment-store.ts";
import { createMockProvider } from "./providers/mock-provider.ts";
import type { PaymentProvider } from "./providers/provider.ts";
import { heldOrder as held } from "./testing/held-order.ts";

/** Short, so expiry tests are quick; long enough that a loaded machine still pays within it. */
const HOLD_TTL_MS = 3_000;

/**
 * The payment service in-process against real servers; orders are written here as the order
 * service would (it is not running), so each test controls exactly what the payment side sees.
 */
describe("payment service", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let service: PaymentService;
  let buyer: TestUser;
  let sessionId: string;

  const heldOrder = (seatId: string) => held(stack, sessionId, buyer.id, seatId);
  /** The provider's network: while true, every call to it fails as a dropped connection does. */
  let providerDown = false;

  /** The mock provider behind a network that can fail (the slow methods are not used here). */
  function flakyMock(): PaymentProvider {
    const mock = createMockProvider({ webhookSecret: "w".repeat(32), slowMs: 60_000, deliver: async () => {} });
    const reachable = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A) => {
      if (providerDown) throw new Error("connect ECONNREFUSED (provider network down)");
      return call(...args);
    };
    return { ...mock, create: reachable(mock.create), confirm: reachable(mock.confirm) };
  }

  beforeAll(async () => {
    database = await testDatabase("payment");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    service = await buildPaymentService({
      config: PaymentConfig.parse({ ...stack.env, NODE_ENV: "test", RECONCILE_EVERY_MS: "200", RECONCILE_AFTER_MS: "0", PAY_ORDER_WAIT_MS: "300" }),
      bus: stack.bus,
      db: stack.db,
      seats: stack.seats,
      providers: { mock: flakyMock() },
      logger: createLogger("payment-test", "silent"),
      metrics: createMetrics("payment-test"),
    });
    await service.app.ready();
    service.start();
    buyer = await seedUser(stack);
    sessionId = await seedSession(stack, { rows: 1, perRow: 10, config: { holdTtlMs: HOLD_TTL_MS, maxHoldExtensionMs: 60_000 } });
  });
  afterAll(async () => {
    await service?.stop();
    await service?.app.close();
    await stack?.close();
    await database?.drop();
  });

  const pay = (orderId: string, body: object = {}) =>
    service.app.inject({ method: "POST", url: `/v1/orders/${orderId}/pay`, headers: { authorization: `Bearer ${buyer.token}` }, payload: body });

  it("payments: a payment stretches its hold, is confirmed by the seat actor, and leaves a full trail", async () => {
    const { orderId } = await heldOrder("A-1-1");
    const answer = await pay(orderId);
    expect(answer.json()).toMatchObject({ orderId, status: "completed", paymentStatus: "succeeded" });
    const [payment] = await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId));
    expect(payment).toMatchObject({ status: "succeeded", providerRef: `mock_${payment!.id}`, amount: "45.00" });
    expect(payment!.settledAt).not.toBeNull();
    const trail = await stack.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment!.id));
    expect(trail.map((e) => e.status)).toEqual(["created", "pending", "succeeded", "succeeded"]);
    expect(trail.at(-1)?.detail).toMatchObject({ settled: true, seats: "sold" });
    // Each status went out once on the stream, as the contract has it (msg-id per status).
    for (const status of ["pending", "succeeded"] as const) {
      const stored = await stack.bus.jsm.streams.getMessage(STREAMS.payments, { last_by_subj: paymentSubject(status, payment!.id) });
      expect(stored?.header.get("Nats-Msg-Id")).toBe(`${payment!.id}:${status}`);
      expect(PaymentEvent.parse(stored!.json())).toMatchObject({ type: "PaymentStatusChanged", orderId, status, amount: { amount: "45.00" } });
    }
    // Where the pay spent its time, step by step, for an operator reading /metrics under a burst.
    const exposed = (await service.app.inject({ method: "GET", url: "/metrics" })).body;
    for (const step of ["order", "extend", "provider", "settle"]) expect(exposed).toMatch(new RegExp(`rush_payment_pay_step_seconds_count\\{[^}]*step="${step}"[^}]*\\} [1-9]`));
  });

  it("payments: money captured but never confirmed (a crash) is confirmed by the reconciler", async () => {
    const { orderId, holdId } = await heldOrder("A-1-2");
    // As if the process died right after the provider took the money.
    await stack.db.db.insert(payments).values({
      orderId, provider: "mock", providerRef: "mock_crash", status: "succeeded", amount: "45.00", currency: "EUR", idempotencyKey: `pay:${orderId}`,
      updatedAt: new Date(Date.now() - 60_000),
    });
    await expect.poll(async () => (await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId)))[0]?.settledAt, { timeout: 5000 }).not.toBeNull();
    const view = JSON.parse((await stack.redis.get(`hold:${holdId}`))!);
    expect(view).toMatchObject({ status: "sold" });
  });

  it("payments: money captured after the hold ran out is refunded by the reconciler", async () => {
    const { orderId } = await heldOrder("A-1-3");
    await new Promise((r) => setTimeout(r, HOLD_TTL_MS + 300));
    await stack.db.db.insert(payments).values({
      orderId, provider: "mock", providerRef: "mock_late", status: "succeeded", amount: "45.00", currency: "EUR", idempotencyKey: `pay:${orderId}`,
      updatedAt: new Date(Date.now() - 60_000),
    });
    await expect
      .poll(async () => (await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId)))[0], { timeout: 5000 })
      .toMatchObject({ status: "refunded", reason: "hold_expired" });
  });

  it("payments: a hold already gone takes no money", async () => {
    const { orderId } = await heldOrder("A-1-4");
    await new Promise((r) => setTimeout(r, HOLD_TTL_MS + 300));
    const answer = await pay(orderId);
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: "hold_ended", holdStatus: "expired" });
    expect(await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId))).toEqual([]);
  });

  it("payments: an order that never appears is a 404 after a short wait", async () => {
    const answer = await pay("00000000-0000-4000-8000-00000000abcd");
    expect(answer.statusCode).toBe(404);
    expect(answer.headers["content-type"]).toContain("application/problem+json");
  });

  it("payments: a provider that did not answer is a 503; paying again right away takes the same payment up and completes", async () => {
    const { orderId } = await heldOrder("A-1-6");
    providerDown = true;
    const failed = await pay(orderId).finally(() => {
      providerDown = false;
    });
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: "provider_unreachable" });
    expect(failed.headers["retry-after"]).toBe("5");
    const [open] = await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId));
    expect(open).toMatchObject({ status: "created", reason: "provider_unreachable" });

    const retried = await pay(orderId);
    expect(retried.json()).toMatchObject({ orderId, status: "completed", paymentId: open!.id });
    expect(await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId))).toHaveLength(1);
  });

  it("payments: of two attempts to take up one open payment, exactly one gets it; a fresh one is left to its own attempt", async () => {
    const store = createPaymentStore(stack.db.db);
    const { orderId } = await heldOrder("A-1-7");
    const payment = await store.open({ orderId, provider: "mock", amount: "45.00", currency: "EUR" });
    const longAgo = new Date(Date.now() - 60_000);
    // Just opened, its provider call still under way: nobody else may take it.
    expect(await store.claim(payment.id, longAgo)).toBeUndefined();
    // Its provider call failed: free to take up, by one attempt only.
    await store.release(payment.id);
    const both = await Promise.all([store.claim(payment.id, longAgo), store.claim(payment.id, longAgo)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await store.claim(payment.id, longAgo)).toBeUndefined();
    // An attempt that died without a word leaves it untouched: after long enough, it is taken up.
    expect(await store.claim(payment.id, new Date(Date.now() + 1000))).toMatchObject({ id: payment.id, status: "created", reason: null });
    // Never a payment past `created`.
    await store.move(payment.id, ["created"], "pending", { providerRef: "mock_x" });
    await store.release(payment.id);
    expect(await store.claim(payment.id, new Date(Date.now() + 1000))).toBeUndefined();
  });
});

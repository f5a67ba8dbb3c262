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

  beforeAll(async () => {
    database = await testDatabase("payment");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    service = await buildPaymentService({
      config: PaymentConfig.parse({ ...stack.env, NODE_ENV: "test", RECONCILE_EVERY_MS: "200", RECONCILE_AFTER_MS: "0", PAY_ORDER_WAIT_MS: "300" }),
      bus: stack.bus,
      db: stack.db,
      seats: stack.seats,
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
});

import { orders, paymentEvents, payments } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { asc, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Shared test support of issue 6's services (real servers, seeded users and sessions).
import { type PurchaseStack, type TestUser, seedSession, seedUser, startPurchaseStack } from "../../order/src/testing/purchase-stack.ts";
import { type PaymentService, buildPaymentService } from "./app.ts";
import { PaymentConfig } from "./config.ts";
import { heldOrder } from "./testing/held-order.ts";
import { RECORDED_INTENT, type RecordedStripe, startRecordedStripe, stripeFixture } from "./testing/recorded-stripe.ts";

/**
 * Money through Stripe end to end on the payment side: the real service (real NATS, Redis,
 * PostgreSQL, a ticket worker) with the real Stripe SDK talking over HTTP to Stripe's recorded
 * test-mode answers, and webhooks signed as Stripe signs them, posted to the running service.
 */
const WEBHOOK_SECRET = "whsec_rush_int_secret";
const noRetry = { "stripe-should-retry": "false" };

describe("payments through stripe", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let stripe: RecordedStripe;
  let service: PaymentService;
  let baseUrl: string;
  let buyer: TestUser;
  let sessionId: string;
  let seat = 0;

  const held = (price?: { amount: string; currency: string }) => heldOrder(stack, sessionId, buyer.id, `A-1-${++seat}`, price);
  const pay = (orderId: string, method: string) =>
    fetch(`${baseUrl}/v1/orders/${orderId}/pay`, {
      method: "POST",
      headers: { authorization: `Bearer ${buyer.token}`, "content-type": "application/json" },
      body: JSON.stringify({ provider: "stripe", method }),
    });
  const paymentOf = async (orderId: string) => (await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId)))[0]!;
  const trailOf = async (paymentId: string) =>
    (await stack.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, paymentId)).orderBy(asc(paymentEvents.id))).map((e) => e.status);
  const holdStatus = async (holdId: string) => JSON.parse((await stack.redis.get(`hold:${holdId}`)) ?? "{}").status;
  /** Stripe's create answer for this order's payment: the recorded intent under this test's own id. */
  const createAnswers = (orderId: string, intent: string, replace: Record<string, string> = {}) =>
    stripe.answer("POST /v1/payment_intents", [{ fixture: "payment-intent-created", replace: { [RECORDED_INTENT]: intent, ...replace } }], { "metadata[orderId]": orderId });
  const webhook = (fixture: string, intent: string) => {
    const payload = stripeFixture(fixture).replaceAll(RECORDED_INTENT, intent);
    return fetch(`${baseUrl}/v1/payments/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
      body: payload,
    });
  };

  beforeAll(async () => {
    database = await testDatabase("stripe");
    [stack, stripe] = await Promise.all([startPurchaseStack(database), startRecordedStripe()]);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    const config = PaymentConfig.parse({
      ...stack.env,
      NODE_ENV: "test",
      MOCK_PROVIDER: "off",
      STRIPE_SECRET_KEY: "sk_test_rush",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PAY_ORDER_WAIT_MS: "300",
      PAY_HOLD_EXTENSION_MS: "30000",
      RECONCILE_EVERY_MS: "100",
      RECONCILE_AFTER_MS: "0",
      // Payments paid through the route here settle at once; the open ones below are written 60 s old.
      RECONCILE_OPEN_AFTER_MS: "20000",
      RECONCILE_BACKOFF_MS: "400",
      RECONCILE_BACKOFF_MAX_MS: "5000",
    });
    service = await buildPaymentService({
      config,
      bus: stack.bus,
      db: stack.db,
      seats: stack.seats,
      logger: createLogger("stripe-test", "silent"),
      metrics: createMetrics("stripe-test"),
    });
    baseUrl = await service.app.listen({ host: "127.0.0.1", port: 0 });
    service.start();
    buyer = await seedUser(stack);
    sessionId = await seedSession(stack, { rows: 1, perRow: 20, config: { holdTtlMs: 60_000, maxHoldExtensionMs: 60_000 } });
  });
  afterAll(async () => {
    await service?.stop();
    await service?.app.close();
    await stripe?.close();
    await stack?.close();
    await database?.drop();
  });

  it("stripe: a decline cancels the PaymentIntent and gives the seats back", async () => {
    const { orderId, holdId } = await held();
    const intent = "pi_3QxRushDecline00001";
    createAnswers(orderId, intent);
    stripe.answer(`POST /v1/payment_intents/${intent}/confirm`, [{ fixture: "card-declined-error", status: 402 }]);
    stripe.answer(`POST /v1/payment_intents/${intent}/cancel`, [{ fixture: "payment-intent-canceled", replace: { [RECORDED_INTENT]: intent } }]);
    const answer = await pay(orderId, "pm_card_chargeDeclined");
    expect(await answer.json()).toMatchObject({ orderId, status: "failed", paymentStatus: "failed", reason: "generic_decline" });
    const payment = await paymentOf(orderId);
    const cancel = stripe.requests.find((r) => r.path === `/v1/payment_intents/${intent}/cancel`);
    expect(cancel).toMatchObject({ method: "POST", idempotencyKey: `cancel:${payment.id}` });
    await expect.poll(() => holdStatus(holdId)).toBe("released");
  });

  it("stripe: decline, then a success that still arrives (the cancel did not get through), ends refunded", async () => {
    const { orderId } = await held();
    const intent = "pi_3QxRushLateWin00002";
    createAnswers(orderId, intent);
    stripe.answer(`POST /v1/payment_intents/${intent}/confirm`, [{ fixture: "card-declined-error", status: 402 }]);
    stripe.answer(`POST /v1/payment_intents/${intent}/cancel`, [{ fixture: "api-error", status: 500, headers: noRetry }]);
    stripe.answer("POST /v1/refunds", [{ fixture: "refund-succeeded", replace: { [RECORDED_INTENT]: intent } }], { payment_intent: intent });
    expect(await (await pay(orderId, "pm_card_chargeDeclined")).json()).toMatchObject({ status: "failed" });

    // The browser still had the client secret: another card succeeded, and Stripe says so.
    const failedAgain = await webhook("event-payment-intent-failed", intent);
    expect(failedAgain.status).toBe(200);
    const late = await webhook("event-payment-intent-succeeded", intent);
    expect(late.status).toBe(200);
    const payment = await paymentOf(orderId);
    expect(payment).toMatchObject({ status: "refunded", reason: "late_success" });
    expect(payment.settledAt).not.toBeNull();
    expect(await trailOf(payment.id)).toEqual(["created", "pending", "failed", "refund_pending", "refunded"]);
    const refunds = stripe.requests.filter((r) => r.path === "/v1/refunds" && r.form.get("payment_intent") === intent);
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund:${payment.id}`]);
    // Told again (Stripe retries webhooks): nothing more is refunded.
    expect((await webhook("event-payment-intent-succeeded", intent)).status).toBe(200);
    expect(stripe.requests.filter((r) => r.path === "/v1/refunds" && r.form.get("payment_intent") === intent)).toHaveLength(1);
  });

  it("stripe: JPY charges the right amount (¥5000 is 5000, not 500000) and completes", async () => {
    const { orderId, holdId } = await held({ amount: "5000.00", currency: "JPY" });
    const intent = "pi_3QxRushYen000000003";
    createAnswers(orderId, intent, { "9000": "5000", '"eur"': '"jpy"' });
    stripe.answer(`POST /v1/payment_intents/${intent}/confirm`, [{ fixture: "payment-intent-succeeded", replace: { [RECORDED_INTENT]: intent, "9000": "5000" } }]);
    expect(await (await pay(orderId, "pm_card_visa")).json()).toMatchObject({ orderId, status: "completed", paymentStatus: "succeeded" });
    const created = stripe.requests.find((r) => r.path === "/v1/payment_intents" && r.form.get("metadata[orderId]") === orderId)!;
    expect(created.form.get("amount")).toBe("5000");
    expect(created.form.get("currency")).toBe("jpy");
    expect(await holdStatus(holdId)).toBe("sold");
  });

  it("reconcile: a refund that keeps failing backs off and does not hold back the other payments", async () => {
    const old = new Date(Date.now() - 60_000);
    const insert = async (orderId: string, values: Partial<typeof payments.$inferInsert>) =>
      (
        await stack.db.db
          .insert(payments)
          .values({ orderId, provider: "stripe", amount: "45.00", currency: "EUR", idempotencyKey: `pay:${orderId}`, updatedAt: old, createdAt: old, status: "created", ...values })
          .returning()
      )[0]!;
    // Oldest of all: a refund Stripe keeps refusing.
    const stuckRefund = await insert((await held()).orderId, { status: "refund_pending", providerRef: "pi_3QxRushRefundFails1", reason: "hold_expired", updatedAt: new Date(old.getTime() - 60_000) });
    stripe.answer("POST /v1/refunds", [{ fixture: "api-error", status: 500, headers: noRetry }], { payment_intent: "pi_3QxRushRefundFails1" });
    // Money taken, seats never confirmed (a crash).
    const captured = await held();
    const unconfirmed = await insert(captured.orderId, { status: "succeeded", providerRef: "pi_3QxRushCaptured0002" });
    // A refund to finish.
    const refunding = await insert((await held()).orderId, { status: "refund_pending", providerRef: "pi_3QxRushRefundOk003", reason: "hold_expired" });
    stripe.answer("POST /v1/refunds", [{ fixture: "refund-succeeded" }], { payment_intent: "pi_3QxRushRefundOk003" });
    // A success whose webhook never came: Stripe says it succeeded.
    const lost = await held();
    const lostWebhook = await insert(lost.orderId, { status: "pending", providerRef: "pi_3QxRushLostHook0004" });
    stripe.answer("GET /v1/payment_intents/pi_3QxRushLostHook0004", [{ fixture: "payment-intent-succeeded", replace: { [RECORDED_INTENT]: "pi_3QxRushLostHook0004" } }]);
    // Opened, but the call to Stripe failed before we learned its id; its hold is long over.
    const abandonedOrder = await held();
    await stack.db.db.update(orders).set({ expiresAt: old }).where(eq(orders.id, abandonedOrder.orderId));
    const neverOpened = await insert(abandonedOrder.orderId, { status: "created" });
    createAnswers(abandonedOrder.orderId, "pi_3QxRushAbandoned005");
    stripe.answer("GET /v1/payment_intents/pi_3QxRushAbandoned005", [{ fixture: "payment-intent-created", replace: { [RECORDED_INTENT]: "pi_3QxRushAbandoned005" } }]);
    stripe.answer("POST /v1/payment_intents/pi_3QxRushAbandoned005/cancel", [{ fixture: "payment-intent-canceled", replace: { [RECORDED_INTENT]: "pi_3QxRushAbandoned005" } }]);

    const status = async (id: string) => (await stack.db.db.select().from(payments).where(eq(payments.id, id)))[0]!;
    await expect.poll(async () => (await status(unconfirmed.id)).settledAt, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await status(refunding.id)).status, { timeout: 10_000 }).toBe("refunded");
    await expect.poll(async () => (await status(lostWebhook.id)).status, { timeout: 10_000 }).toBe("succeeded");
    await expect.poll(async () => (await status(lostWebhook.id)).settledAt, { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await status(neverOpened.id)).status, { timeout: 10_000 }).toBe("failed");
    expect(await status(neverOpened.id)).toMatchObject({ providerRef: "pi_3QxRushAbandoned005", reason: "abandoned" });
    expect(await holdStatus(captured.holdId)).toBe("sold");
    expect(await holdStatus(lost.holdId)).toBe("sold");

    // The failing refund is still owed and still tried, but spaced out rather than every 100 ms pass.
    const attempts = () => stripe.requests.filter((r) => r.path === "/v1/refunds" && r.form.get("payment_intent") === "pi_3QxRushRefundFails1").length;
    // Visible as failed, with the provider's error, while it is retried (docs/money.md, refunds).
    expect(await status(stuckRefund.id)).toMatchObject({ status: "refund_failed", lastError: expect.any(String) });
    const started = Date.now();
    const before = attempts();
    await new Promise((r) => setTimeout(r, 3_000));
    const passes = (Date.now() - started) / 100;
    expect(attempts()).toBeGreaterThanOrEqual(before);
    expect(attempts() - before).toBeLessThan(passes / 4);
    expect(before).toBeGreaterThanOrEqual(1);
  });
});

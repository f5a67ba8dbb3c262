import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECORDED_INTENT, type RecordedStripe, startRecordedStripe, stripeFixture } from "../testing/recorded-stripe.ts";
import { WebhookSignatureError } from "./provider.ts";
import { createStripeProvider } from "./stripe-provider.ts";

/**
 * The Stripe provider through the real SDK over real HTTP: the SDK talks to a local server that
 * answers with Stripe's recorded test-mode responses; webhooks are signed by the SDK's own
 * test-header helper.
 */
const WEBHOOK_SECRET = "whsec_rush_test_secret";
const paymentId = "00000000-0000-4000-8000-000000000002";

describe("stripe provider", () => {
  let stripe: RecordedStripe;
  let n = 0;
  /** A fresh intent id per test, so each test's script stands alone on the shared server. */
  const intent = () => `pi_3QxRushUnit${String(++n).padStart(8, "0")}`;
  const provider = () => createStripeProvider({ secretKey: "sk_test_rush", webhookSecret: WEBHOOK_SECRET, apiBase: stripe.url });
  const requestsTo = (id: string) => stripe.requests.filter((r) => r.path.includes(id) || r.form.get("payment_intent") === id);

  beforeAll(async () => {
    stripe = await startRecordedStripe();
  });
  afterAll(async () => {
    await stripe?.close();
  });

  it("stripe: creates a PaymentIntent in minor units with an idempotency key, and confirms it server-side", async () => {
    const id = intent();
    stripe.answer("POST /v1/payment_intents", [{ fixture: "payment-intent-created", replace: { [RECORDED_INTENT]: id } }], { "metadata[paymentId]": "eur-1" });
    stripe.answer(`POST /v1/payment_intents/${id}/confirm`, [{ fixture: "payment-intent-succeeded", replace: { [RECORDED_INTENT]: id } }]);
    const { providerRef } = await provider().create({ paymentId: "eur-1", orderId: "o", amount: { amount: "90.00", currency: "EUR" }, idempotencyKey: "create:eur-1" });
    expect(providerRef).toBe(id);
    const created = stripe.requests.find((r) => r.form.get("metadata[paymentId]") === "eur-1")!;
    expect(created).toMatchObject({ method: "POST", idempotencyKey: "create:eur-1" });
    expect(created.form.get("amount")).toBe("9000");
    expect(created.form.get("currency")).toBe("eur");
    const outcome = await provider().confirm({ paymentId, providerRef, method: "pm_card_visa", idempotencyKey: `confirm:${paymentId}` });
    expect(outcome).toEqual({ status: "succeeded" });
    expect(requestsTo(id).at(-1)).toMatchObject({ path: `/v1/payment_intents/${id}/confirm`, idempotencyKey: `confirm:${paymentId}` });
  });

  it("stripe: JPY has no minor unit, so ¥5000 is charged as 5000, not 500000", async () => {
    const id = intent();
    stripe.answer("POST /v1/payment_intents", [{ fixture: "payment-intent-created", replace: { [RECORDED_INTENT]: id, "9000": "5000", '"eur"': '"jpy"' } }], {
      "metadata[paymentId]": "jpy-1",
    });
    await provider().create({ paymentId: "jpy-1", orderId: "o", amount: { amount: "5000.00", currency: "JPY" }, idempotencyKey: "create:jpy-1" });
    const created = stripe.requests.find((r) => r.form.get("metadata[paymentId]") === "jpy-1")!;
    expect(created.form.get("amount")).toBe("5000");
    expect(created.form.get("currency")).toBe("jpy");
  });

  it("stripe: a currency off the list is never sent to Stripe", async () => {
    const before = stripe.requests.length;
    await expect(provider().create({ paymentId: "x", orderId: "o", amount: { amount: "1.000", currency: "KWD" }, idempotencyKey: "k" })).rejects.toThrow(/KWD/);
    expect(stripe.requests.length).toBe(before);
  });

  it("stripe: a declined card is a failed payment, not an error", async () => {
    const id = intent();
    stripe.answer(`POST /v1/payment_intents/${id}/confirm`, [{ fixture: "card-declined-error", status: 402 }]);
    const outcome = await provider().confirm({ paymentId, providerRef: id, method: "pm_card_chargeDeclined", idempotencyKey: "k" });
    expect(outcome).toEqual({ status: "failed", reason: "generic_decline" });
  });

  it("stripe: without a payment method the client confirms with the intent's secret", async () => {
    stripe.answer(`GET /v1/payment_intents/${RECORDED_INTENT}`, [{ fixture: "payment-intent-created" }]);
    const outcome = await provider().confirm({ paymentId, providerRef: RECORDED_INTENT, idempotencyKey: "k" });
    expect(outcome).toEqual({
      status: "pending",
      clientAction: { type: "confirm_payment", clientSecret: "pi_3QxRush000000000001_secret_k8Jc2vXcQm1Yb5Ff0tLw3vS9A" },
    });
  });

  it("stripe: cancel ends a declined intent; an intent that already succeeded reads as succeeded", async () => {
    const declined = intent();
    stripe.answer(`POST /v1/payment_intents/${declined}/cancel`, [{ fixture: "payment-intent-canceled", replace: { [RECORDED_INTENT]: declined } }]);
    expect(await provider().cancel({ paymentId, providerRef: declined, idempotencyKey: `cancel:${paymentId}` })).toEqual({ status: "failed", reason: "abandoned" });
    expect(requestsTo(declined)[0]).toMatchObject({ idempotencyKey: `cancel:${paymentId}` });
    expect(requestsTo(declined)[0]!.form.get("cancellation_reason")).toBe("abandoned");

    const paid = intent();
    stripe.answer(`POST /v1/payment_intents/${paid}/cancel`, [{ fixture: "cancel-unexpected-state-error", status: 400 }]);
    stripe.answer(`GET /v1/payment_intents/${paid}`, [{ fixture: "payment-intent-succeeded", replace: { [RECORDED_INTENT]: paid } }]);
    expect(await provider().cancel({ paymentId, providerRef: paid, idempotencyKey: "k" })).toEqual({ status: "succeeded" });
  });

  it("stripe: status reads the intent as it is now", async () => {
    const id = intent();
    stripe.answer(`GET /v1/payment_intents/${id}`, [{ fixture: "payment-intent-declined", replace: { [RECORDED_INTENT]: id } }]);
    expect(await provider().status({ paymentId, providerRef: id })).toEqual({ status: "failed", reason: "generic_decline" });
  });

  it("stripe: refunds by PaymentIntent with an idempotency key", async () => {
    const id = intent();
    stripe.answer("POST /v1/refunds", [{ fixture: "refund-succeeded", replace: { [RECORDED_INTENT]: id } }], { payment_intent: id });
    const result = await provider().refund({ paymentId, providerRef: id, amount: { amount: "90.00", currency: "EUR" }, idempotencyKey: `refund:${paymentId}` });
    expect(result).toEqual({ status: "refunded" });
    expect(requestsTo(id)[0]).toMatchObject({ path: "/v1/refunds", idempotencyKey: `refund:${paymentId}` });
  });

  it("stripe: webhooks are verified by the SDK and read", () => {
    for (const [name, expected] of [
      ["event-payment-intent-succeeded", { providerRef: RECORDED_INTENT, status: "succeeded" }],
      ["event-payment-intent-failed", { providerRef: RECORDED_INTENT, status: "failed", reason: "insufficient_funds" }],
    ] as const) {
      const payload = stripeFixture(name);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      expect(provider().parseWebhook(Buffer.from(payload), { "stripe-signature": signature })).toEqual(expected);
    }
  });

  it("stripe: a webhook with a wrong secret, an altered body or no signature is refused", () => {
    const payload = stripeFixture("event-payment-intent-succeeded");
    const foreign = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    expect(() => provider().parseWebhook(Buffer.from(payload), { "stripe-signature": foreign })).toThrow(WebhookSignatureError);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const altered = payload.replace("9000", "1");
    expect(() => provider().parseWebhook(Buffer.from(altered), { "stripe-signature": signature })).toThrow(WebhookSignatureError);
    expect(() => provider().parseWebhook(Buffer.from(payload), {})).toThrow(WebhookSignatureError);
  });
});

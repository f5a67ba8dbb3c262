import { readFileSync } from "node:fs";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { WebhookSignatureError } from "./provider.ts";
import { createStripeProvider } from "./stripe-provider.ts";

/**
 * The Stripe provider through the real SDK, with the SDK's HTTP client pointed at recorded API
 * answers (no network) and webhooks signed by the SDK's own test-header helper.
 */
const fixture = (name: string) => readFileSync(new URL(`./stripe-fixtures/${name}.json`, import.meta.url), "utf8");
const WEBHOOK_SECRET = "whsec_rush_test_secret";
const paymentId = "00000000-0000-4000-8000-000000000002";

interface Recorded {
  method: string;
  path: string;
  body: string;
  idempotencyKey: string | null;
}

function recordedStripe(answers: Record<string, { status: number; body: string }>) {
  const requests: Recorded[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    requests.push({ method: init?.method ?? "GET", path: url.pathname, body: String(init?.body ?? ""), idempotencyKey: headers.get("idempotency-key") });
    const answer = answers[`${init?.method ?? "GET"} ${url.pathname}`];
    if (!answer) return new Response(JSON.stringify({ error: { type: "invalid_request_error", message: "not recorded" } }), { status: 404 });
    return new Response(answer.body, { status: answer.status, headers: { "content-type": "application/json", "request-id": "req_rush" } });
  }) as typeof fetch;
  const provider = createStripeProvider({ secretKey: "sk_test_rush", webhookSecret: WEBHOOK_SECRET, httpClient: Stripe.createFetchHttpClient(fetchFn) });
  return { provider, requests };
}

const PI = "/v1/payment_intents/pi_3QxRush000000000001";

describe("stripe provider", () => {
  it("stripe: creates a PaymentIntent in minor units with an idempotency key, and confirms it server-side", async () => {
    const { provider, requests } = recordedStripe({
      "POST /v1/payment_intents": { status: 200, body: fixture("payment-intent-created") },
      [`POST ${PI}/confirm`]: { status: 200, body: fixture("payment-intent-succeeded") },
    });
    const { providerRef } = await provider.create({ paymentId, orderId: "o", amount: { amount: "90.00", currency: "EUR" }, idempotencyKey: `create:${paymentId}` });
    expect(providerRef).toBe("pi_3QxRush000000000001");
    expect(requests[0]).toMatchObject({ method: "POST", idempotencyKey: `create:${paymentId}` });
    expect(new URLSearchParams(requests[0]!.body).get("amount")).toBe("9000");
    expect(new URLSearchParams(requests[0]!.body).get("currency")).toBe("eur");
    const outcome = await provider.confirm({ paymentId, providerRef, method: "pm_card_visa", idempotencyKey: `confirm:${paymentId}` });
    expect(outcome).toEqual({ status: "succeeded" });
    expect(requests[1]).toMatchObject({ path: `${PI}/confirm`, idempotencyKey: `confirm:${paymentId}` });
  });

  it("stripe: a declined card is a failed payment, not an error", async () => {
    const { provider } = recordedStripe({ [`POST ${PI}/confirm`]: { status: 402, body: fixture("card-declined-error") } });
    const outcome = await provider.confirm({ paymentId, providerRef: "pi_3QxRush000000000001", method: "pm_card_chargeDeclined", idempotencyKey: "k" });
    expect(outcome).toEqual({ status: "failed", reason: "generic_decline" });
  });

  it("stripe: without a payment method the client confirms with the intent's secret", async () => {
    const { provider } = recordedStripe({ [`GET ${PI}`]: { status: 200, body: fixture("payment-intent-created") } });
    const outcome = await provider.confirm({ paymentId, providerRef: "pi_3QxRush000000000001", idempotencyKey: "k" });
    expect(outcome).toEqual({
      status: "pending",
      clientAction: { type: "confirm_payment", clientSecret: "pi_3QxRush000000000001_secret_k8Jc2vXcQm1Yb5Ff0tLw3vS9A" },
    });
  });

  it("stripe: refunds by PaymentIntent with an idempotency key", async () => {
    const { provider, requests } = recordedStripe({ "POST /v1/refunds": { status: 200, body: fixture("refund-succeeded") } });
    const result = await provider.refund({ paymentId, providerRef: "pi_3QxRush000000000001", amount: { amount: "90.00", currency: "EUR" }, idempotencyKey: `refund:${paymentId}` });
    expect(result).toEqual({ status: "refunded" });
    expect(requests[0]).toMatchObject({ idempotencyKey: `refund:${paymentId}` });
    expect(new URLSearchParams(requests[0]!.body).get("payment_intent")).toBe("pi_3QxRush000000000001");
  });

  it("stripe: webhooks are verified by the SDK and read", () => {
    const { provider } = recordedStripe({});
    for (const [name, expected] of [
      ["event-payment-intent-succeeded", { providerRef: "pi_3QxRush000000000001", status: "succeeded" }],
      ["event-payment-intent-failed", { providerRef: "pi_3QxRush000000000001", status: "failed", reason: "insufficient_funds" }],
    ] as const) {
      const payload = fixture(name);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      expect(provider.parseWebhook(Buffer.from(payload), { "stripe-signature": signature })).toEqual(expected);
    }
  });

  it("stripe: a webhook with a wrong secret, an altered body or no signature is refused", () => {
    const { provider } = recordedStripe({});
    const payload = fixture("event-payment-intent-succeeded");
    const foreign = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    expect(() => provider.parseWebhook(Buffer.from(payload), { "stripe-signature": foreign })).toThrow(WebhookSignatureError);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const altered = payload.replace("9000", "1");
    expect(() => provider.parseWebhook(Buffer.from(altered), { "stripe-signature": signature })).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(Buffer.from(payload), {})).toThrow(WebhookSignatureError);
  });
});

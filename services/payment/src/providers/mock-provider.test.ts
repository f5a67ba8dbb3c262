import { describe, expect, it, vi } from "vitest";
import { createMockProvider, signMockWebhook } from "./mock-provider.ts";
import { WebhookSignatureError } from "./provider.ts";

const SECRET = "mock-secret-0123456789";

describe("mock provider", () => {
  it("mock: succeeds by default, declines on fail, answers slow by a signed webhook", async () => {
    vi.useFakeTimers();
    const delivered: { body: string; signature: string }[] = [];
    const mock = createMockProvider({ webhookSecret: SECRET, slowMs: 1000, deliver: async (body, signature) => void delivered.push({ body, signature }) });
    const open = async (paymentId: string) => (await mock.create({ paymentId, orderId: "o1", amount: { amount: "1.00", currency: "EUR" }, idempotencyKey: "k" })).providerRef;
    expect(await mock.confirm({ paymentId: "p1", providerRef: await open("p1"), idempotencyKey: "k" })).toEqual({ status: "succeeded" });
    expect(await mock.confirm({ paymentId: "p2", providerRef: await open("p2"), method: "fail", idempotencyKey: "k" })).toEqual({ status: "failed", reason: "declined" });
    const providerRef = await open("p3");
    expect(await mock.confirm({ paymentId: "p3", providerRef, method: "slow", idempotencyKey: "k" })).toMatchObject({ status: "pending" });
    expect(delivered).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    vi.useRealTimers();
    expect(delivered).toHaveLength(1);
    const { body, signature } = delivered[0]!;
    expect(mock.parseWebhook(Buffer.from(body), { "rush-mock-signature": signature })).toEqual({ providerRef, status: "succeeded" });
  });

  it("mock: remembers outcomes: status reads them, cancel stops an open payment but not one that took money", async () => {
    const mock = createMockProvider({ webhookSecret: SECRET, slowMs: 60_000, deliver: async () => {} });
    const open = async (paymentId: string) => (await mock.create({ paymentId, orderId: "o", amount: { amount: "1.00", currency: "EUR" }, idempotencyKey: "k" })).providerRef;
    const paid = await open("paid");
    await mock.confirm({ paymentId: "paid", providerRef: paid, idempotencyKey: "k" });
    expect(await mock.status({ paymentId: "paid", providerRef: paid })).toEqual({ status: "succeeded" });
    expect(await mock.cancel({ paymentId: "paid", providerRef: paid, idempotencyKey: "k" })).toEqual({ status: "succeeded" });
    const waiting = await open("waiting");
    expect(await mock.status({ paymentId: "waiting", providerRef: waiting })).toEqual({ status: "pending" });
    expect(await mock.cancel({ paymentId: "waiting", providerRef: waiting, idempotencyKey: "k" })).toEqual({ status: "failed", reason: "canceled" });
    expect(await mock.confirm({ paymentId: "waiting", providerRef: waiting, idempotencyKey: "k" })).toEqual({ status: "failed", reason: "canceled" });
    expect(await mock.status({ paymentId: "lost", providerRef: "mock_lost" })).toEqual({ status: "failed", reason: "unknown_to_mock" });
  });

  it("mock: webhooks with a bad, foreign or stale signature are refused", () => {
    const mock = createMockProvider({ webhookSecret: SECRET, slowMs: 0, deliver: async () => {} });
    const body = JSON.stringify({ type: "payment.succeeded", providerRef: "mock_p" });
    expect(() => mock.parseWebhook(Buffer.from(body), {})).toThrow(WebhookSignatureError);
    expect(() => mock.parseWebhook(Buffer.from(body), { "rush-mock-signature": signMockWebhook(body, "another-secret-0123") })).toThrow(WebhookSignatureError);
    expect(() => mock.parseWebhook(Buffer.from(`${body} `), { "rush-mock-signature": signMockWebhook(body, SECRET) })).toThrow(WebhookSignatureError);
    expect(() => mock.parseWebhook(Buffer.from(body), { "rush-mock-signature": signMockWebhook(body, SECRET, Date.now() - 3_600_000) })).toThrow(WebhookSignatureError);
  });
});

import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type PaymentProvider, type ProviderOutcome, WebhookSignatureError } from "./provider.ts";

export const MOCK_SIGNATURE_HEADER = "rush-mock-signature";

/** How long a mock webhook's timestamp stays acceptable (replays are refused after). */
const TOLERANCE_MS = 5 * 60_000;

const MockWebhook = z.object({
  type: z.enum(["payment.succeeded", "payment.failed"]),
  providerRef: z.string(),
  reason: z.string().optional(),
});
type MockWebhook = z.infer<typeof MockWebhook>;

/** `t=<ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the shape Stripe uses. */
export function signMockWebhook(body: string, secret: string, at = Date.now()): string {
  const mac = createHmac("sha256", secret).update(`${at}.${body}`).digest("hex");
  return `t=${at},v1=${mac}`;
}

export interface MockProviderOptions {
  webhookSecret: string;
  /** How long `method: "slow"` takes before its webhook. */
  slowMs: number;
  /** Sends a signed webhook (in production: an HTTP POST to this service's own webhook route). */
  deliver(body: string, signature: string): Promise<void>;
  now?: () => number;
}

/**
 * The default provider: succeeds unless told otherwise. `method: "fail"` declines; `"slow"`
 * answers only by webhook after `slowMs` (success; `"slow-fail"` declines). It remembers each
 * payment's outcome in memory, so `status` and `cancel` answer as a real provider would; a
 * payment it has forgotten (a restart) took no money, so it reads as failed.
 */
export function createMockProvider(options: MockProviderOptions): PaymentProvider {
  const now = options.now ?? Date.now;
  const outcomes = new Map<string, ProviderOutcome>();
  const settle = (providerRef: string, outcome: ProviderOutcome) => {
    // A payment that took money stays taken; one that was canceled never takes any.
    const known = outcomes.get(providerRef);
    if (known?.status === "succeeded" || (known?.status === "failed" && known.reason === "canceled")) return known;
    outcomes.set(providerRef, outcome);
    return outcome;
  };
  const later = (webhook: MockWebhook) => {
    const timer = setTimeout(() => {
      settle(webhook.providerRef, webhook.type === "payment.succeeded" ? { status: "succeeded" } : { status: "failed", reason: webhook.reason ?? "declined" });
      const body = JSON.stringify(webhook);
      options.deliver(body, signMockWebhook(body, options.webhookSecret, now())).catch(() => {
        // The payment stays pending; its hold expiring ends the order.
      });
    }, options.slowMs);
    timer.unref();
  };
  return {
    name: "mock",
    async create({ paymentId }) {
      const providerRef = `mock_${paymentId}`;
      if (!outcomes.has(providerRef)) outcomes.set(providerRef, { status: "pending" });
      return { providerRef };
    },
    async confirm({ providerRef, method }) {
      switch (method) {
        case "fail":
          return settle(providerRef, { status: "failed", reason: "declined" });
        case "slow":
          later({ type: "payment.succeeded", providerRef });
          return settle(providerRef, { status: "pending", clientAction: { type: "wait_for_webhook" } });
        case "slow-fail":
          later({ type: "payment.failed", providerRef, reason: "declined" });
          return settle(providerRef, { status: "pending", clientAction: { type: "wait_for_webhook" } });
        default:
          return settle(providerRef, { status: "succeeded" });
      }
    },
    async refund() {
      return { status: "refunded" };
    },
    async status({ providerRef }) {
      return outcomes.get(providerRef) ?? { status: "failed", reason: "unknown_to_mock" };
    },
    async cancel({ providerRef }) {
      return outcomes.get(providerRef)?.status === "succeeded" ? { status: "succeeded" } : settle(providerRef, { status: "failed", reason: "canceled" });
    },
    parseWebhook(rawBody, headers) {
      const header = headers[MOCK_SIGNATURE_HEADER];
      const match = typeof header === "string" ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
      if (!match) throw new WebhookSignatureError(`missing or malformed ${MOCK_SIGNATURE_HEADER}`);
      const [, at, mac] = match as unknown as [string, string, string];
      const expected = createHmac("sha256", options.webhookSecret).update(`${at}.`).update(rawBody).digest();
      if (!timingSafeEqual(expected, Buffer.from(mac, "hex"))) throw new WebhookSignatureError("signature mismatch");
      if (Math.abs(now() - Number(at)) > TOLERANCE_MS) throw new WebhookSignatureError("timestamp outside the tolerance");
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString("utf8"));
      } catch {
        return undefined;
      }
      const parsed = MockWebhook.safeParse(json);
      if (!parsed.success) return undefined;
      const { providerRef, type, reason } = parsed.data;
      return type === "payment.succeeded" ? { providerRef, status: "succeeded" } : { providerRef, status: "failed", reason: reason ?? "declined" };
    },
  };
}

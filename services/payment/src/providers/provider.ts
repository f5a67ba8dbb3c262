import type { ClientAction, Money, PaymentProviderName } from "@rush/contracts";

/** What a provider said about taking the money. `pending`: the outcome comes later, by webhook. */
export type ProviderOutcome =
  | { status: "succeeded" }
  | { status: "failed"; reason: string }
  | { status: "pending"; clientAction?: ClientAction };

/** A verified webhook's news about one payment. */
export interface WebhookNotice {
  providerRef: string;
  status: "succeeded" | "failed";
  reason?: string;
}

/** A webhook whose signature does not verify: answered 400, acted on never. */
export class WebhookSignatureError extends Error {
  readonly code = "PAYMENT_WEBHOOK_SIGNATURE";
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = "WebhookSignatureError";
  }
}

export interface CreateRequest {
  paymentId: string;
  orderId: string;
  amount: Money;
  /** The same key always names the same provider payment: a retry never charges twice. */
  idempotencyKey: string;
}

/**
 * A payment provider: open a payment, ask it to take the money, give money back, and read its
 * signed webhooks. Every call is idempotent by its key.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  create(request: CreateRequest): Promise<{ providerRef: string }>;
  confirm(request: { paymentId: string; providerRef: string; method?: string; idempotencyKey: string }): Promise<ProviderOutcome>;
  refund(request: { paymentId: string; providerRef: string; amount: Money; idempotencyKey: string }): Promise<{ status: "refunded" | "pending" }>;
  /** Where the money stands now: the reconciler asks when a webhook or an answer was lost. */
  status(request: { paymentId: string; providerRef: string }): Promise<ProviderOutcome>;
  /**
   * Makes sure the payment never takes money from now on (a declined Stripe intent could still
   * succeed with another card). `succeeded` when it already had: that money must be settled or
   * refunded. `pending` when the provider cannot cancel it yet (a charge still processing).
   */
  cancel(request: { paymentId: string; providerRef: string; idempotencyKey: string }): Promise<ProviderOutcome>;
  /** Verifies the signature (throws `WebhookSignatureError`); `undefined` for events that need no action. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): WebhookNotice | undefined;
}

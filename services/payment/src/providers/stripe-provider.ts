import Stripe from "stripe";
import { type PaymentProvider, type ProviderOutcome, WebhookSignatureError } from "./provider.ts";

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** The SDK's HTTP client; tests pass `Stripe.createFetchHttpClient(recordedFetch)`. */
  httpClient?: ReturnType<typeof Stripe.createFetchHttpClient>;
}

const cents = (amount: string) => {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
};

function outcomeOf(intent: Stripe.PaymentIntent): ProviderOutcome {
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded" };
    case "requires_action":
    case "requires_confirmation":
    case "requires_payment_method":
      if (intent.last_payment_error) return { status: "failed", reason: intent.last_payment_error.decline_code ?? intent.last_payment_error.code ?? "declined" };
      return { status: "pending", clientAction: { type: "confirm_payment", ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}) } };
    case "processing":
    case "requires_capture":
      return { status: "pending", clientAction: { type: "wait_for_webhook" } };
    case "canceled":
      return { status: "failed", reason: intent.cancellation_reason ?? "canceled" };
    default:
      return { status: "pending", clientAction: { type: "wait_for_webhook" } };
  }
}

/**
 * Stripe through its official SDK: a PaymentIntent per payment (idempotency keys on every
 * write), confirmed server-side when a PaymentMethod is given, else by the client with its
 * secret; outcomes by webhook, signatures checked by the SDK.
 */
export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
  return {
    name: "stripe",
    async create({ paymentId, orderId, amount, idempotencyKey }) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: cents(amount.amount),
          currency: amount.currency.toLowerCase(),
          // Confirmed server-side with a PaymentMethod, or by the client: no redirect flows without a return URL.
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          metadata: { paymentId, orderId },
        },
        { idempotencyKey },
      );
      return { providerRef: intent.id };
    },
    async confirm({ providerRef, method, idempotencyKey }) {
      if (!method) {
        const intent = await stripe.paymentIntents.retrieve(providerRef);
        return outcomeOf(intent);
      }
      try {
        return outcomeOf(await stripe.paymentIntents.confirm(providerRef, { payment_method: method }, { idempotencyKey }));
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return { status: "failed", reason: error.decline_code ?? error.code ?? "declined" };
        throw error;
      }
    },
    async refund({ providerRef, idempotencyKey }) {
      const refund = await stripe.refunds.create({ payment_intent: providerRef }, { idempotencyKey });
      return { status: refund.status === "succeeded" ? "refunded" : "pending" };
    },
    parseWebhook(rawBody, headers) {
      const signature = headers["stripe-signature"];
      if (typeof signature !== "string") throw new WebhookSignatureError("missing stripe-signature");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      } catch (error) {
        throw new WebhookSignatureError((error as Error).message, { cause: error });
      }
      switch (event.type) {
        case "payment_intent.succeeded":
          return { providerRef: event.data.object.id, status: "succeeded" };
        case "payment_intent.payment_failed": {
          const failure = event.data.object.last_payment_error;
          return { providerRef: event.data.object.id, status: "failed", reason: failure?.decline_code ?? failure?.code ?? "declined" };
        }
        default:
          return undefined;
      }
    },
  };
}

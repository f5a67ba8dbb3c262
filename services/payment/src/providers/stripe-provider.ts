import { toMinorUnits } from "@rush/contracts";
import Stripe from "stripe";
import { type PaymentProvider, type ProviderOutcome, WebhookSignatureError } from "./provider.ts";

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API origin than Stripe's (stripe-mock, or the tests' recorded answers), e.g. `http://127.0.0.1:12111`. */
  apiBase?: string;
}

/** The SDK's own host/port/protocol options, from one URL. */
function endpointOf(apiBase: string): { host: string; port: number; protocol: "http" | "https" } {
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443, protocol };
}

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
    ...(options.apiBase ? endpointOf(options.apiBase) : {}),
  });
  return {
    name: "stripe",
    async create({ paymentId, orderId, amount, idempotencyKey }) {
      const intent = await stripe.paymentIntents.create(
        {
          // Minor units per currency: ¥5000 is 5000, €45.00 is 4500 (an unknown currency throws, never guesses).
          amount: toMinorUnits(amount),
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
    async refund({ providerRef, amount, idempotencyKey }) {
      // The amount always: a resale pays back one ticket of an order, and a later refund of that order only the rest.
      const refund = await stripe.refunds.create({ payment_intent: providerRef, amount: toMinorUnits(amount) }, { idempotencyKey });
      return { status: refund.status === "succeeded" ? "refunded" : "pending" };
    },
    async status({ providerRef }) {
      return outcomeOf(await stripe.paymentIntents.retrieve(providerRef));
    },
    async cancel({ providerRef, idempotencyKey }) {
      try {
        return outcomeOf(await stripe.paymentIntents.cancel(providerRef, { cancellation_reason: "abandoned" }, { idempotencyKey }));
      } catch (error) {
        // Already succeeded, already canceled, or processing: what it is now decides.
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state") {
          return outcomeOf(await stripe.paymentIntents.retrieve(providerRef));
        }
        throw error;
      }
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
        case "payment_intent.canceled":
          return { providerRef: event.data.object.id, status: "failed", reason: event.data.object.cancellation_reason ?? "canceled" };
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

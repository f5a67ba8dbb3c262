import { WebhookAck, WebhookParams } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type PaymentProvider, type WebhookNotice, WebhookSignatureError } from "../providers/provider.ts";
import type { PaymentStore } from "./payment-store.ts";
import type { Settlement } from "./settlement.ts";

export interface WebhookRouteOptions {
  store: PaymentStore;
  settlement: Settlement;
  providers: Partial<Record<string, PaymentProvider>>;
}

/**
 * `POST /v1/payments/webhooks/:provider`: the raw body goes to the provider's signature check
 * untouched (this plugin's own parser); a bad signature is 400 and changes nothing. Events
 * about payments we do not know, or already settled, are acknowledged and ignored.
 */
export const webhookRoute: FastifyPluginAsyncZod<WebhookRouteOptions> = async (app, { store, settlement, providers }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

  app.post("/v1/payments/webhooks/:provider", { schema: { params: WebhookParams, response: { 200: WebhookAck } } }, async (request) => {
    const provider = providers[request.params.provider];
    if (!provider) throw new HttpProblem(404, "not_found", "Not Found", `no webhook for ${request.params.provider} here`);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let notice: WebhookNotice | undefined;
    try {
      notice = provider.parseWebhook(raw, request.headers);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        request.log.warn({ provider: provider.name, reason: error.message }, "webhook refused: bad signature");
        throw new HttpProblem(400, "bad_signature", "Bad signature", "the webhook's signature does not verify");
      }
      throw error;
    }
    if (!notice) return { received: true as const };
    const payment = await store.findByProviderRef(provider.name, notice.providerRef);
    if (!payment) {
      request.log.warn({ provider: provider.name, providerRef: notice.providerRef }, "webhook for an unknown payment");
      return { received: true as const };
    }
    if (notice.status === "succeeded") await settlement.succeeded(payment, ["created", "pending"]);
    else await settlement.declined(payment, notice.reason ?? "declined");
    return { received: true as const };
  });
};

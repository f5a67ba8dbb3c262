import type { PaymentProviderName } from "@rush/contracts";
import type { Logger } from "@rush/service";
import { decimal2 } from "../payments/payment-events.ts";
import type { PaymentProvider } from "../providers/provider.ts";
import type { DuePayout, ResalePaymentStore } from "./resale-payment-store.ts";

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300) || "provider error";

/**
 * The seller's side of a resale: the face value goes back to the payment that bought the ticket,
 * as a partial refund under the key `resale:<listingId>` (one per listing: never paid twice,
 * whoever asks again). A provider that fails leaves the payout `failed` with its error; the
 * reconciler retries it with the usual backoff.
 */
export function createPayouts(deps: {
  store: ResalePaymentStore;
  providers: Partial<Record<PaymentProviderName, PaymentProvider>>;
  logger: Logger;
  clock: () => number;
}) {
  const { store, logger } = deps;

  async function pay(payout: DuePayout): Promise<DuePayout["payoutStatus"]> {
    const now = new Date(deps.clock());
    if (!(await store.claim(payout.listingId, payout.updatedAt, now))) return payout.payoutStatus;
    const provider = deps.providers[payout.payment.provider];
    try {
      if (!provider) throw new Error(`provider ${payout.payment.provider} is not configured`);
      const result = await provider.refund({
        paymentId: payout.payment.id,
        providerRef: payout.payment.providerRef ?? "",
        amount: { amount: decimal2(payout.amount), currency: payout.currency },
        idempotencyKey: `resale:${payout.listingId}`,
      });
      if (result.status !== "refunded") return "pending";
      await store.finish(payout.listingId, { status: "refunded" }, new Date(deps.clock()));
      logger.info({ listingId: payout.listingId, paymentId: payout.payment.id }, "resale payout refunded to the seller");
      return "refunded";
    } catch (error) {
      await store.finish(payout.listingId, { status: "failed", error: errorText(error) }, new Date(deps.clock()));
      throw error;
    }
  }

  return {
    pay,
    /** Right after the sale: pays the listing's payout now; a failure is left to the reconciler. */
    async payNow(listingId: string): Promise<void> {
      const payout = await store.find(listingId);
      if (!payout || payout.payoutStatus === "refunded") return;
      await pay(payout).catch((error: unknown) => logger.warn({ listingId, err: error }, "resale payout failed; it will be retried"));
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;

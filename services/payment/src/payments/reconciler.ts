import { type Logger, runEvery } from "@rush/service";
import { type Attempts, type BackoffPolicy, afterFailure, backingOff } from "./backoff.ts";
import type { Payouts } from "../resale/payouts.ts";
import type { ResalePaymentStore } from "../resale/resale-payment-store.ts";
import type { PaymentStore } from "./payment-store.ts";
import type { Settlement } from "./settlement.ts";

/** Order statuses that leave a payment for a later pass. */
const UNFINISHED = new Set(["payment_pending", "refund_pending", "refund_failed"]);

export interface ReconcilerDeps {
  store: PaymentStore;
  settlement: Settlement;
  /** Resale payouts not finished (the sellers' refunds) are retried here too, each with its own backoff. */
  resale: Pick<ResalePaymentStore, "due">;
  payouts: Pick<Payouts, "pay">;
  logger: Logger;
  everyMs: number;
  /** A captured payment unsettled (or a refund unfinished) this long is run again. */
  afterMs: number;
  /** A payment still open (`created`, `pending`) this long is checked with its provider. */
  openAfterMs: number;
  backoff: BackoffPolicy;
  /** Payments per pass. */
  batch?: number;
  clock?: () => number;
}

/**
 * Nothing paid is ever left hanging: every `everyMs`, payments captured but not settled by the
 * seat engine, refunds not finished, and payments whose webhook or provider call was lost are
 * run again, oldest first; settled payments of cancelled sessions become refunds. Each payment stands alone: one that fails (a refund the provider
 * keeps refusing) is logged and backs off, and the pass goes on with the others.
 * Safe on every instance at once: each step is idempotent.
 */
export function startReconciler(deps: ReconcilerDeps) {
  const clock = deps.clock ?? Date.now;
  const attempts = new Map<string, Attempts>();

  const pass = async (stopping: () => boolean) => {
    const now = clock();
    for (const [id, a] of attempts) if (a.nextAt + deps.backoff.maxMs < now) attempts.delete(id);
    const due = await deps.store.stuck({
      before: new Date(now - deps.afterMs),
      openBefore: new Date(now - deps.openAfterMs),
      limit: deps.batch ?? 100,
      skip: backingOff(attempts, now),
    });
    // What cancelled sessions still owe first: each becomes a refund, run now and retried below if it fails.
    const owed = await deps.store.owedByCancellations(deps.batch ?? 100, backingOff(attempts, now));
    const work = [...owed.map((payment) => ({ payment, cancelled: true })), ...due.map((payment) => ({ payment, cancelled: false }))];
    for (const { payment, cancelled } of work) {
      if (stopping()) return;
      try {
        const settled = cancelled
          ? await deps.settlement.requestRefund(payment, "session_cancelled", { by: "cancellation" })
          : await deps.settlement.reconcile(payment);
        const finished = !UNFINISHED.has(settled.status);
        if (finished) attempts.delete(payment.id);
        else attempts.set(payment.id, afterFailure(deps.backoff, attempts.get(payment.id), clock()));
        deps.logger.info({ paymentId: payment.id, status: settled.status, paymentStatus: settled.payment.status }, "reconciled a payment");
      } catch (error) {
        const next = afterFailure(deps.backoff, attempts.get(payment.id), clock());
        attempts.set(payment.id, next);
        deps.logger.warn({ paymentId: payment.id, status: payment.status, failures: next.failures, err: error }, "payment reconciliation failed; backing off");
      }
    }
    await payoutPass(now, stopping);
  };

  /** Sellers' payouts (resales) not finished: the same oldest-first, backing-off retry as refunds, keyed by listing. */
  const payoutAttempts = new Map<string, Attempts>();
  const payoutPass = async (now: number, stopping: () => boolean) => {
    for (const [id, a] of payoutAttempts) if (a.nextAt + deps.backoff.maxMs < now) payoutAttempts.delete(id);
    for (const payout of await deps.resale.due(new Date(now - deps.afterMs), deps.batch ?? 100, backingOff(payoutAttempts, now))) {
      if (stopping()) return;
      const { listingId } = payout;
      try {
        if ((await deps.payouts.pay(payout)) === "refunded") payoutAttempts.delete(listingId);
        else payoutAttempts.set(listingId, afterFailure(deps.backoff, payoutAttempts.get(listingId), clock()));
      } catch (error) {
        const next = afterFailure(deps.backoff, payoutAttempts.get(listingId), clock());
        payoutAttempts.set(listingId, next);
        deps.logger.warn({ listingId, failures: next.failures, err: error }, "resale payout failed; backing off");
      }
    }
  };
  return runEvery(deps.everyMs, pass, (error) => deps.logger.warn({ err: error }, "payment reconciliation pass failed; will retry"));
}

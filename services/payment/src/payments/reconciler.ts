import type { Logger } from "@rush/service";
import type { PaymentStore } from "./payment-store.ts";
import type { Settlement } from "./settlement.ts";

/**
 * Nothing paid is ever left hanging: every `everyMs`, payments captured but not settled by the
 * seat engine (a crash, a confirm without answer) and refunds not finished are run again.
 * Safe on every instance at once: each step is idempotent.
 */
export function startReconciler(deps: { store: PaymentStore; settlement: Settlement; logger: Logger; everyMs: number; afterMs: number }) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    const stuck = await deps.store.stuck(new Date(Date.now() - deps.afterMs), 100);
    for (const payment of stuck) {
      if (stopped) return;
      const settled = await deps.settlement.settle(payment);
      deps.logger.info({ paymentId: payment.id, status: settled.status }, "reconciled a payment");
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch((error) => deps.logger.warn({ err: error }, "payment reconciliation failed; will retry"));
  }, deps.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

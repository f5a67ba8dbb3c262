import { Histogram, type Registry } from "prom-client";

/** The steps of a pay, in order: where a slow pay spends its time. `confirm` is the seat engine's part of `settle`. */
export type PayStep = "order" | "extend" | "provider" | "settle" | "confirm";

/**
 * `rush_payment_pay_step_seconds{step}`: a pay under a flash-sale burst can take seconds while
 * the payment service's loop is idle, waiting on the order service, the seat engine, the provider
 * or PostgreSQL; this says which.
 */
export function payStepTimer(registry: Registry) {
  const histogram = new Histogram({
    name: "rush_payment_pay_step_seconds",
    help: "Time a pay spent in each step: waiting for its order, the seat engine's hold extension, the provider, the settlement (confirm and store), and the seat engine's confirm within it",
    labelNames: ["step"],
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [registry],
  });
  return async <T>(step: PayStep, work: Promise<T>): Promise<T> => {
    const end = histogram.startTimer({ step });
    try {
      return await work;
    } finally {
      end();
    }
  };
}

import type { OrderStatus, PayResponse } from "@rush/contracts";
import { getOrder, pay } from "../api/endpoints.ts";
import { ApiError } from "../api/problem.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statuses an order does not leave. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ["completed", "expired", "failed", "refunded"];

export interface PaymentOutcome {
  status: OrderStatus;
  reason?: string;
}

/**
 * Pays an order with the mock provider and waits for its final status. The order is created
 * from the hold asynchronously, so a 404 right after the hold is retried for a few seconds; a
 * payment still pending (a webhook to come) is followed by polling, or sooner by the live
 * `order` event (`orderEvents` resolves the wait early).
 */
export async function payOrder(
  orderId: string,
  options: { method?: string; timeoutMs?: number; orderEvents?: (listener: (status: OrderStatus) => void) => () => void } = {},
): Promise<PaymentOutcome> {
  let answer: PayResponse | undefined;
  for (let attempt = 0; !answer; attempt++) {
    try {
      answer = await pay(orderId, options.method);
    } catch (error) {
      const notYet = error instanceof ApiError && (error.status === 404 || error.status === 0 || error.status === 503);
      if (!notYet || attempt >= 12) throw error;
      await sleep(Math.min(250 * 2 ** attempt, 2000));
    }
  }
  if (FINAL_ORDER_STATUSES.includes(answer.status)) return { status: answer.status, ...(answer.reason ? { reason: answer.reason } : {}) };

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let pushed: OrderStatus | undefined;
  let wake: () => void = () => {};
  const off = options.orderEvents?.((status) => {
    pushed = status;
    wake();
  });
  try {
    for (let wait = 500; Date.now() < deadline; wait = Math.min(wait * 1.4, 3000)) {
      if (pushed && FINAL_ORDER_STATUSES.includes(pushed)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, wait);
      });
      const order = await getOrder(orderId).catch(() => undefined);
      if (order && FINAL_ORDER_STATUSES.includes(order.status)) return { status: order.status };
    }
    if (pushed && FINAL_ORDER_STATUSES.includes(pushed)) return { status: pushed };
    return { status: answer.status, reason: "the payment is still being processed" };
  } finally {
    off?.();
  }
}

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
      if (!notYet || attempt >= 4) throw error;
      await sleep(Math.min(250 * 2 ** attempt, 1500));
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

/**
 * What to tell a buyer when paying could not even start, with the way forward: never a raw
 * "Not Found: no order <uuid>".
 */
export function payProblemWords(error: unknown): string {
  const status = error instanceof ApiError ? error.status : -1;
  if (status === 0) return "We could not reach Rush to take the payment: check your connection, then press Pay again. Your seats stay held until the countdown ends.";
  if (status === 404) return "Your order is not ready to pay yet. Your seats stay held: press Pay again in a moment, or pay later from My orders.";
  if (status === 409 || status === 410) return "This order can no longer be paid: the hold has ended or it was already paid. Check My orders, or pick seats again.";
  if (status === 401) return "Your sign-in has expired: sign in again, then pay from My orders. Your seats stay held until the countdown ends.";
  if (status === 429) return "Too many attempts right now: wait a few seconds, then press Pay again.";
  return "The payment service is having trouble. Nothing was charged: press Pay again in a moment, or pay later from My orders.";
}

/** The outcome of a payment that did not complete, in words with a next step. */
export function outcomeWords(outcome: PaymentOutcome): string {
  switch (outcome.status) {
    case "refunded":
      return "Your hold ran out before the payment finished, so the payment was refunded. Pick seats again to buy.";
    case "failed":
      return `The payment was declined${outcome.reason ? ` (${outcome.reason})` : ""}. Your seats stay held until the countdown ends: try again, or use another card.`;
    case "expired":
      return "Your hold expired before the payment finished, and nothing was charged. Pick seats again to buy.";
    default:
      return "The payment is still being processed. You will see your tickets under My tickets as soon as it completes; My orders shows where it stands.";
  }
}

import { type Bus, headersFor, sharedPublisher } from "@rush/bus";
import { type PaymentEvent, paymentSubject } from "@rush/contracts";
import type { OrderRow, PaymentRow } from "./payment-store.ts";

const encoder = new TextEncoder();

/** Postgres numeric(12,2) as text, always with two decimals (no float on the way). */
export function decimal2(amount: string): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  return `${whole}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}

/** Publishes a payment's current status on `payment.<status>.<paymentId>`, once per status (msg-id). */
export async function publishPaymentStatus(bus: Bus, payment: PaymentRow, order: Pick<OrderRow, "buyerId">): Promise<void> {
  // Built from a database row by this service, typed by the contract: not parsed again on the way
  // out. Through the connection's shared publisher: every pay publishes two or three of these.
  const event: PaymentEvent = {
    type: "PaymentStatusChanged",
    paymentId: payment.id,
    orderId: payment.orderId,
    buyerId: order.buyerId,
    provider: payment.provider,
    status: payment.status,
    amount: { amount: decimal2(payment.amount), currency: payment.currency },
    ...(payment.reason ? { reason: payment.reason } : {}),
    ...(payment.status === "refund_failed" && payment.lastError ? { error: payment.lastError.slice(0, 500) } : {}),
    at: payment.updatedAt.getTime(),
  };
  await sharedPublisher(bus).publish(paymentSubject(payment.status, payment.id), encoder.encode(JSON.stringify(event)), {
    msgId: `${payment.id}:${payment.status}`,
    headers: headersFor(undefined, "PaymentStatusChanged"),
  });
}

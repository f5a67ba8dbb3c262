import { decimal2 } from "../payments/payment-events.ts";
import type { ResalePaymentStore } from "./resale-payment-store.ts";

const cents = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = decimal2(amount).split(".");
  return BigInt(whole) * 100n + BigInt(fraction);
};

/**
 * What a refund of an order's payment still owes: its amount less what resales of its tickets
 * paid their sellers back (each its own payout), so nobody is refunded twice. `undefined` when
 * nothing is left.
 */
export async function refundShare(store: Pick<ResalePaymentStore, "paidOut">, orderId: string, amount: string): Promise<string | undefined> {
  const owed = cents(amount) - cents(await store.paidOut(orderId));
  if (owed <= 0n) return undefined;
  return `${owed / 100n}.${(owed % 100n).toString().padStart(2, "0")}`;
}

/** Whether any ticket of this order was resold: its hold must not go back to the engine (the resale's buyer holds that seat). */
export const hasResales = async (store: Pick<ResalePaymentStore, "paidOut">, orderId: string): Promise<boolean> => cents(await store.paidOut(orderId)) > 0n;

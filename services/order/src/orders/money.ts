import type { Money } from "@rush/contracts";

/** Decimal strings to cents and back: money is never a float. */
export function toCents(amount: string): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
}

export function fromCents(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, "0");
  return `${whole}.${fraction}`;
}

export function times(price: Money, count: number): Money {
  return { amount: fromCents(toCents(price.amount) * BigInt(count)), currency: price.currency };
}

/** Postgres `numeric(12,2)` comes back as text, possibly without trailing zeros. */
export const normalizeAmount = (amount: string): string => fromCents(toCents(amount));

import type { Money } from "@rush/contracts";

const formatters = new Map<string, Intl.NumberFormat>();

/** `{amount: "45.00", currency: "EUR"}` → "€45.00" (the amount is a decimal string, shown as is). */
export function formatMoney(money: Money): string {
  let format = formatters.get(money.currency);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { style: "currency", currency: money.currency });
    formatters.set(money.currency, format);
  }
  return format.format(Number(money.amount));
}

/** Adds decimal-string amounts exactly (in cents), for totals of several seats. */
export function sumMoney(items: readonly Money[]): Money | undefined {
  const first = items[0];
  if (!first) return undefined;
  const cents = items.reduce((n, m) => {
    const [whole = "0", fraction = ""] = m.amount.split(".");
    return n + Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  }, 0);
  return { amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`, currency: first.currency };
}

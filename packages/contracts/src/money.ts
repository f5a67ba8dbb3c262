import { z } from "zod";

/** `{ amount: "45.00", currency: "EUR" }`: a decimal string, never a float (API.md). */
export const Money = z.object({
  amount: z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, "a decimal string such as 45.00"),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
});
export type Money = z.infer<typeof Money>;

/**
 * The currencies Rush sells in, with their ISO 4217 minor-unit exponents: a payment provider
 * counts in minor units, so ¥5000 is 5000 and €45.00 is 4500. Three-decimal currencies (BHD,
 * KWD, …) are left out on purpose: prices are stored with two decimals, and Stripe wants their
 * amounts rounded to tens. Currencies whose providers disagree with ISO (HUF, ISK, TWD, UGX)
 * are left out too, until someone needs them and checks each provider.
 */
export const CURRENCY_EXPONENTS = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  INR: 2,
  JPY: 0,
  KRW: 0,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  PLN: 2,
  SEK: 2,
  SGD: 2,
  USD: 2,
  VND: 0,
  ZAR: 2,
} as const satisfies Record<string, 0 | 2>;

export type Currency = keyof typeof CURRENCY_EXPONENTS;

export const isCurrency = (code: string): code is Currency => Object.hasOwn(CURRENCY_EXPONENTS, code);

/** The digits after the point a currency allows; `undefined` for one Rush does not sell in. */
export const currencyExponent = (code: string): 0 | 2 | undefined => (isCurrency(code) ? CURRENCY_EXPONENTS[code] : undefined);

/** Money that cannot cross to a provider: a currency off the list, or finer than its minor unit. */
export class UnsupportedMoneyError extends Error {
  readonly code = "MONEY_UNSUPPORTED";
  constructor(detail: string) {
    super(detail);
    this.name = "UnsupportedMoneyError";
  }
}

/**
 * Money the way a provider counts it, an integer of the currency's smallest unit:
 * `{ amount: "5000.00", currency: "JPY" }` → 5000; `{ amount: "45.5", currency: "EUR" }` → 4550.
 * Throws `UnsupportedMoneyError` for a currency off the list or a fraction the currency does not
 * have (¥0.50): never rounds money silently.
 */
export function toMinorUnits(money: Money): number {
  const exponent = currencyExponent(money.currency);
  if (exponent === undefined) throw new UnsupportedMoneyError(`currency ${money.currency} is not supported`);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(money.amount);
  if (!match) throw new UnsupportedMoneyError(`amount ${money.amount} is not a decimal string`);
  const [, whole = "0", fraction = ""] = match;
  const extra = fraction.slice(exponent);
  if (/[1-9]/.test(extra)) throw new UnsupportedMoneyError(`${money.currency} has ${exponent} decimals; ${money.amount} has more`);
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.slice(0, exponent).padEnd(exponent, "0") || "0");
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnsupportedMoneyError(`amount ${money.amount} is too large`);
  return Number(minor);
}

/** A price as an organizer may set it: a currency Rush sells in, and no finer than its minor unit. */
export const PriceInput = Money.superRefine((money, ctx) => {
  const exponent = currencyExponent(money.currency);
  if (exponent === undefined) {
    ctx.addIssue({ code: "custom", path: ["currency"], message: `not a supported currency (${Object.keys(CURRENCY_EXPONENTS).join(", ")})` });
    return;
  }
  const fraction = money.amount.split(".")[1] ?? "";
  if (/[1-9]/.test(fraction.slice(exponent))) {
    ctx.addIssue({ code: "custom", path: ["amount"], message: `${money.currency} has ${exponent === 0 ? "no" : exponent} decimals` });
  }
});

import { describe, expect, it } from "vitest";
import { CURRENCY_EXPONENTS, PriceInput, UnsupportedMoneyError, toMinorUnits } from "./money.ts";

describe("money", () => {
  it("money: minor units follow the currency's exponent (JPY 0, EUR 2)", () => {
    expect(toMinorUnits({ amount: "5000", currency: "JPY" })).toBe(5000);
    expect(toMinorUnits({ amount: "5000.00", currency: "JPY" })).toBe(5000);
    expect(toMinorUnits({ amount: "45.00", currency: "EUR" })).toBe(4500);
    expect(toMinorUnits({ amount: "45.5", currency: "EUR" })).toBe(4550);
    expect(toMinorUnits({ amount: "0.07", currency: "USD" })).toBe(7);
    expect(toMinorUnits({ amount: "9999999999.99", currency: "EUR" })).toBe(999_999_999_999);
  });

  it("money: an unknown currency or a fraction the currency lacks is refused, never rounded", () => {
    expect(() => toMinorUnits({ amount: "1.00", currency: "XYZ" })).toThrow(UnsupportedMoneyError);
    expect(() => toMinorUnits({ amount: "5000.50", currency: "JPY" })).toThrow(UnsupportedMoneyError);
    expect(() => toMinorUnits({ amount: "1.001", currency: "EUR" })).toThrow(UnsupportedMoneyError);
    expect(() => toMinorUnits({ amount: "-1", currency: "EUR" })).toThrow(UnsupportedMoneyError);
  });

  it("money: every listed currency has exponent 0 or 2 (prices are stored with two decimals)", () => {
    for (const [code, exponent] of Object.entries(CURRENCY_EXPONENTS)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2]).toContain(exponent);
    }
  });

  it("money: organizer prices name a listed currency and fit its minor unit", () => {
    expect(PriceInput.safeParse({ amount: "5000", currency: "JPY" }).success).toBe(true);
    expect(PriceInput.safeParse({ amount: "45.90", currency: "EUR" }).success).toBe(true);
    const issues = (value: object) => PriceInput.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ amount: "45.00", currency: "XYZ" })?.[0]).toMatch(/^currency: not a supported currency/);
    expect(issues({ amount: "5000.50", currency: "JPY" })).toEqual(["amount: JPY has no decimals"]);
  });
});

import { describe, expect, it } from "vitest";
import { PaymentConfig, mockEnabled } from "./config.ts";

describe("payment config", () => {
  it("config: the mock provider is on in development and off in production unless asked for", () => {
    expect(mockEnabled(PaymentConfig.parse({}))).toBe(true);
    const production = { NODE_ENV: "production", JWT_SECRET: "a-real-secret-of-some-length" };
    expect(mockEnabled(PaymentConfig.parse(production))).toBe(false);
    expect(() => PaymentConfig.parse({ ...production, MOCK_PROVIDER: "on" })).toThrow(/MOCK_WEBHOOK_SECRET/);
    expect(mockEnabled(PaymentConfig.parse({ ...production, MOCK_PROVIDER: "on", MOCK_WEBHOOK_SECRET: "another-real-secret" }))).toBe(true);
  });

  it("config: production refuses the development JWT secret", () => {
    expect(() => PaymentConfig.parse({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
  });
});

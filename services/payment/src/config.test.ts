import { describe, expect, it } from "vitest";
import { PaymentConfig, mockEnabled } from "./config.ts";

const REAL_URLS = { NATS_URL: "nats://nats:4222", REDIS_URL: "redis://redis:6379", DATABASE_URL: "postgres://rush:s3cret@db:5432/rush" };

describe("payment config", () => {
  it("config: the mock provider is on in development and off in production unless asked for", () => {
    expect(mockEnabled(PaymentConfig.parse({ NODE_ENV: "development" }))).toBe(true);
    const production = { NODE_ENV: "production", ...REAL_URLS, JWT_SECRET: "a-real-secret-of-some-length" };
    expect(mockEnabled(PaymentConfig.parse(production))).toBe(false);
    expect(() => PaymentConfig.parse({ ...production, MOCK_PROVIDER: "on" })).toThrow(/MOCK_WEBHOOK_SECRET/);
    expect(mockEnabled(PaymentConfig.parse({ ...production, MOCK_PROVIDER: "on", MOCK_WEBHOOK_SECRET: "another-real-secret" }))).toBe(true);
  });

  it("config: production refuses the development JWT secret", () => {
    expect(() => PaymentConfig.parse({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
  });

  it("config: without NODE_ENV the mock is off and the development secrets are refused", () => {
    expect(() => PaymentConfig.parse({})).toThrow(/DATABASE_URL[\s\S]*JWT_SECRET/);
    expect(mockEnabled(PaymentConfig.parse({ ...REAL_URLS, JWT_SECRET: "a-real-secret-of-some-length" }))).toBe(false);
  });
});

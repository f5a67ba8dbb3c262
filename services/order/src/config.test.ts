import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OrderConfig } from "./config.ts";

const REAL_URLS = { NATS_URL: "nats://nats:4222", REDIS_URL: "redis://redis:6379", DATABASE_URL: "postgres://rush:s3cret@db:5432/rush" };

describe("order config", () => {
  it("config: production refuses the development ticket key and JWT secret", () => {
    expect(() => OrderConfig.parse({ NODE_ENV: "production" })).toThrow(/TICKET_SIGNING_KEY/);
    const config = OrderConfig.parse({ NODE_ENV: "production", ...REAL_URLS, JWT_SECRET: "a-real-secret-of-some-length", TICKET_SIGNING_KEY: randomBytes(32).toString("base64") });
    expect(config.PORT).toBe(8102);
  });

  it("config: without NODE_ENV the development key is refused too", () => {
    expect(() => OrderConfig.parse({ ...REAL_URLS, JWT_SECRET: "a-real-secret-of-some-length" })).toThrow(/TICKET_SIGNING_KEY/);
  });
});

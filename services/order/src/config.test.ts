import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OrderConfig } from "./config.ts";

describe("order config", () => {
  it("config: production refuses the development ticket key and JWT secret", () => {
    expect(() => OrderConfig.parse({ NODE_ENV: "production" })).toThrow(/TICKET_SIGNING_KEY/);
    const config = OrderConfig.parse({ NODE_ENV: "production", JWT_SECRET: "a-real-secret-of-some-length", TICKET_SIGNING_KEY: randomBytes(32).toString("base64") });
    expect(config.PORT).toBe(8102);
  });
});

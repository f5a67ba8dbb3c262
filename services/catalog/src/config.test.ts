import { ConfigError } from "@rush/service";
import { describe, expect, it } from "vitest";
import { DEV_ADMIN, DEV_JWT_SECRET, loadCatalogConfig } from "./config.ts";

const REAL_URLS = { NATS_URL: "nats://nats:4222", REDIS_URL: "redis://redis:6379", DATABASE_URL: "postgres://rush:s3cret@db:5432/rush" };

describe("config", () => {
  it("config: outside production the dev JWT secret and admin are filled in", () => {
    const config = loadCatalogConfig({ NODE_ENV: "development" });
    expect(config).toMatchObject({ JWT_SECRET: DEV_JWT_SECRET, ADMIN_EMAIL: DEV_ADMIN.email, ADMIN_PASSWORD: DEV_ADMIN.password, PORT: 8105 });
    expect(config.TRUSTED_PROXIES).toContain("127.0.0.1");
  });

  it("config: production refuses to start without an admin and a real JWT secret, naming each", () => {
    const load = () => loadCatalogConfig({ NODE_ENV: "production", JWT_SECRET: DEV_JWT_SECRET });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/JWT_SECRET[\s\S]*TWO_FACTOR_KEY[\s\S]*ADMIN_EMAIL[\s\S]*ADMIN_PASSWORD/);
  });

  it("config: no NODE_ENV applies production rules: no dev secret, no dev admin, a 32-character JWT secret", () => {
    const load = () => loadCatalogConfig({ ...REAL_URLS, JWT_SECRET: "sixteen-chars-ok", ADMIN_EMAIL: DEV_ADMIN.email, ADMIN_PASSWORD: DEV_ADMIN.password });
    expect(load).toThrow(/ADMIN_EMAIL[\s\S]*ADMIN_PASSWORD[\s\S]*32 characters[\s\S]*JWT_SECRET/);
  });

  it("config: production starts with its own secret and admin", () => {
    const config = loadCatalogConfig({
      NODE_ENV: "production",
      ...REAL_URLS,
      JWT_SECRET: "a-production-secret-of-at-least-32-chars",
      TWO_FACTOR_KEY: "a-production-key-sealing-totp-secrets",
      ADMIN_EMAIL: "Ops@Example.com",
      ADMIN_PASSWORD: "a long production password",
    });
    expect(config.ADMIN_EMAIL).toBe("ops@example.com");
  });

  it("config: TRUSTED_PROXIES takes addresses and CIDR ranges, and names a malformed entry", () => {
    expect(loadCatalogConfig({ NODE_ENV: "test", TRUSTED_PROXIES: "127.0.0.1, 10.244.0.0/16,fd00::/8" }).TRUSTED_PROXIES).toEqual(["127.0.0.1", "10.244.0.0/16", "fd00::/8"]);
    const load = () => loadCatalogConfig({ NODE_ENV: "test", TRUSTED_PROXIES: "127.0.0.1,gate.internal,10.0.0.0/40" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/gate\.internal[\s\S]*TRUSTED_PROXIES[\s\S]*0–32/);
  });
});

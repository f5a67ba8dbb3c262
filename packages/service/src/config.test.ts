import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BaseConfig, ConfigError, DEV_URLS, loadConfig, refuseDevDefaults } from "./config.ts";

describe("config", () => {
  it("config: defaults point at the local dev stack on loopback", () => {
    const config = loadConfig(BaseConfig, {});
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.NATS_URL).toBe("nats://127.0.0.1:14222");
  });

  it("config: fails fast naming every bad key", () => {
    const schema = BaseConfig.extend({ PORT: z.coerce.number().int().min(1).max(65535) });
    expect(() => loadConfig(schema, { PORT: "nope", LOG_LEVEL: "loud" })).toThrow(ConfigError);
    expect(() => loadConfig(schema, { PORT: "nope", LOG_LEVEL: "loud" })).toThrow(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
  });

  it("config: development defaults are refused unless NODE_ENV says development or test", () => {
    const schema = BaseConfig.extend({ SECRET: z.string().default("dev-secret") }).superRefine((env, ctx) =>
      refuseDevDefaults(ctx, env, { ...DEV_URLS, SECRET: "dev-secret" }),
    );
    for (const NODE_ENV of ["development", "test"]) expect(loadConfig(schema, { NODE_ENV }).SECRET).toBe("dev-secret");
    expect(() => loadConfig(schema, {})).toThrow(/NODE_ENV is unset[\s\S]*NATS_URL[\s\S]*REDIS_URL[\s\S]*DATABASE_URL[\s\S]*SECRET/);
    expect(() => loadConfig(schema, { NODE_ENV: "production", SECRET: "dev-secret" })).toThrow(/NODE_ENV=production[\s\S]*SECRET/);
    const real = { NATS_URL: "nats://n:4222", REDIS_URL: "redis://r:6379", DATABASE_URL: "postgres://u:p@db/rush", SECRET: "a real one" };
    expect(loadConfig(schema, real).SECRET).toBe("a real one");
  });
});

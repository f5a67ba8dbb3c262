import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BaseConfig, ConfigError, loadConfig } from "./config.ts";

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
});

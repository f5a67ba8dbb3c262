import { ConfigError } from "@rush/service";
import { describe, expect, it } from "vitest";
import { ACCEPT_HANDLES } from "./accept-handles.ts";
import { DEFAULT_RATE_LIMITS, gateProcessesOf, loadGateConfig, trustProxyOf } from "./config.ts";

const REAL_URLS = { NATS_URL: "nats://nats:4222", REDIS_URL: "redis://redis:6379", DATABASE_URL: "postgres://rush:s3cret@db:5432/rush" };

describe("gate config", () => {
  it("config: defaults serve port 8080 with the catalog on 8105 and a 2 s hold wait", () => {
    const config = loadGateConfig({ NODE_ENV: "development" });
    expect(config).toMatchObject({ PORT: 8080, CATALOG_URL: "http://127.0.0.1:8105", HOLD_WAIT_MS: 2000, WAITING_ROOM_SHUFFLE: true });
    expect(config.RATE_LIMITS).toEqual(DEFAULT_RATE_LIMITS);
  });

  it("config: rate limits override per class from JSON; bad JSON fails fast", () => {
    const config = loadGateConfig({ NODE_ENV: "test", RATE_LIMITS: '{"hold":{"user":5,"ip":50}}' });
    expect(config.RATE_LIMITS.hold).toEqual({ user: 5, ip: 50 });
    expect(config.RATE_LIMITS.read).toEqual(DEFAULT_RATE_LIMITS.read);
    expect(() => loadGateConfig({ NODE_ENV: "test", RATE_LIMITS: "{nope" })).toThrow(ConfigError);
  });

  it("config: production refuses the development secrets and the local stack's URLs", () => {
    expect(() => loadGateConfig({ NODE_ENV: "production" })).toThrow(/NATS_URL[\s\S]*REDIS_URL[\s\S]*DATABASE_URL[\s\S]*JWT_SECRET[\s\S]*ADMISSION_SECRET/);
    expect(loadGateConfig({ NODE_ENV: "production", ...REAL_URLS, JWT_SECRET: "x".repeat(32), ADMISSION_SECRET: "y".repeat(32) }).NODE_ENV).toBe("production");
  });

  it("config: no NODE_ENV means production rules (fail closed), with a message that says why", () => {
    expect(() => loadGateConfig({})).toThrow(/NODE_ENV is unset; development defaults apply only with NODE_ENV=development or test\)\s*→ at JWT_SECRET/);
    expect(() => loadGateConfig({ ...REAL_URLS, ADMISSION_SECRET: "y".repeat(32) })).toThrow(/JWT_SECRET/);
    expect(loadGateConfig({ ...REAL_URLS, JWT_SECRET: "x".repeat(32), ADMISSION_SECRET: "y".repeat(32) }).NODE_ENV).toBeUndefined();
  });

  it("config: one gate process runs alone unless GATE_ACCEPT_HANDLES asks for a primary; several get 8 copies each unless told", () => {
    const of = (env: Record<string, string>) => gateProcessesOf(loadGateConfig({ NODE_ENV: "test", ...env }));
    expect(of({})).toEqual({ supervised: false, processes: 1, acceptHandles: 1 });
    expect(of({ GATE_ACCEPT_HANDLES: "16" })).toEqual({ supervised: true, processes: 1, acceptHandles: 16 });
    expect(of({ GATE_PROCESSES: "2" })).toEqual({ supervised: true, processes: 2, acceptHandles: ACCEPT_HANDLES });
    expect(of({ GATE_PROCESSES: "2", GATE_ACCEPT_HANDLES: "4" })).toEqual({ supervised: true, processes: 2, acceptHandles: 4 });
    expect(() => of({ GATE_ACCEPT_HANDLES: "0" })).toThrow(/GATE_ACCEPT_HANDLES/);
  });

  it("config: TRUST_PROXY takes a boolean, a hop count or a list", () => {
    expect(trustProxyOf("false")).toBe(false);
    expect(trustProxyOf("true")).toBe(true);
    expect(trustProxyOf("2")).toBe(2);
    expect(trustProxyOf("10.0.0.1, 10.0.0.2")).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(loadGateConfig({ NODE_ENV: "test", TRUST_PROXY: "10.0.0.0/24,fd00::/8" }).TRUST_PROXY).toBe("10.0.0.0/24,fd00::/8");
  });

  it("config: a TRUST_PROXY list entry that is no address or range stops the gate, named", () => {
    expect(() => loadGateConfig({ NODE_ENV: "test", TRUST_PROXY: "10.0.0.1,lb.internal" })).toThrow(/lb\.internal[\s\S]*TRUST_PROXY/);
  });
});

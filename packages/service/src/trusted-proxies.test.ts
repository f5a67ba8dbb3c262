import { describe, expect, it } from "vitest";
import { trustedProxies, trustedProxyProblem } from "./trusted-proxies.ts";

describe("trusted proxies", () => {
  it("trusted proxies: exact addresses match only themselves", () => {
    const trusted = trustedProxies(["127.0.0.1", "::1"]);
    expect(trusted.has("127.0.0.1")).toBe(true);
    expect(trusted.has("::1")).toBe(true);
    expect(trusted.has("127.0.0.2")).toBe(false);
    expect(trusted.has("not-an-ip")).toBe(false);
  });

  it("trusted proxies: a CIDR range matches every address in it, IPv4 and IPv6", () => {
    const trusted = trustedProxies(["10.244.0.0/16", "fd00:10::/32"]);
    expect(trusted.has("10.244.3.17")).toBe(true);
    expect(trusted.has("10.245.0.1")).toBe(false);
    expect(trusted.has("fd00:10:0:1::5")).toBe(true);
    expect(trusted.has("fd00:11::5")).toBe(false);
  });

  it("trusted proxies: an IPv4-mapped peer matches the IPv4 entries", () => {
    const trusted = trustedProxies(["10.244.0.0/16", "127.0.0.1"]);
    expect(trusted.has("::ffff:10.244.3.17")).toBe(true);
    expect(trusted.has("::ffff:127.0.0.1")).toBe(true);
    expect(trusted.has("::ffff:192.0.2.1")).toBe(false);
  });

  it("trusted proxies: a malformed entry is named", () => {
    expect(trustedProxyProblem("10.0.0.0/8")).toBeUndefined();
    expect(trustedProxyProblem("gate.internal")).toMatch(/"gate.internal" is not an IP address or CIDR range/);
    expect(trustedProxyProblem("10.0.0.0/33")).toMatch(/prefix length must be 0–32/);
    expect(trustedProxyProblem("::/129")).toMatch(/0–128/);
    expect(trustedProxyProblem("10.0.0.0/x")).toBeDefined();
    expect(() => trustedProxies(["10.0.0.0/8", "nope"])).toThrow(/"nope"/);
  });
});

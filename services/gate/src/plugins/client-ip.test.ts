import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { clientIpResolver } from "./client-ip.ts";

const request = (socket: string, forwarded?: string) =>
  ({ socket: { remoteAddress: socket }, ip: socket, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as unknown as FastifyRequest;

describe("client ip", () => {
  it("client ip: without trust, the socket's address, whatever the header says", () => {
    expect(clientIpResolver(false)(request("10.0.0.1", "1.2.3.4"))).toBe("10.0.0.1");
  });

  it("client ip: trusting everything, the first address of X-Forwarded-For", () => {
    expect(clientIpResolver(true)(request("10.0.0.1", "1.2.3.4, 10.0.0.9"))).toBe("1.2.3.4");
    expect(clientIpResolver(true)(request("10.0.0.1"))).toBe("10.0.0.1");
  });

  it("client ip: a hop count or a proxy list stops at the first untrusted hop (no spoofing past it)", () => {
    expect(clientIpResolver(1)(request("10.0.0.1", "6.6.6.6, 1.2.3.4"))).toBe("1.2.3.4");
    expect(clientIpResolver(["10.0.0.1", "10.0.0.2"])(request("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2"))).toBe("1.2.3.4");
    expect(clientIpResolver(["10.0.0.1"])(request("9.9.9.9", "1.2.3.4"))).toBe("9.9.9.9");
  });

  it("client ip: a proxy list may name CIDR ranges (load balancers whose addresses change)", () => {
    const resolve = clientIpResolver(["10.0.0.0/24"]);
    expect(resolve(request("::ffff:10.0.0.7", "6.6.6.6, 1.2.3.4, 10.0.0.200"))).toBe("1.2.3.4");
    expect(resolve(request("10.0.1.7", "1.2.3.4"))).toBe("10.0.1.7");
  });
});

import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip.ts";
import { trustedProxies } from "@rush/service";

const request = (peer: string, forwarded?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as unknown as FastifyRequest;
const trusted = trustedProxies(["127.0.0.1", "10.0.0.2"]);

describe("client ip", () => {
  it("client ip: an untrusted peer is the client, whatever it forwards", () => {
    expect(clientIp(request("203.0.113.5", "1.2.3.4"), trusted)).toBe("203.0.113.5");
  });

  it("client ip: behind trusted proxies, the right-most untrusted hop is the client (the left is the caller's claim)", () => {
    expect(clientIp(request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2"), trusted)).toBe("198.51.100.7");
    expect(clientIp(request("127.0.0.1"), trusted)).toBe("127.0.0.1");
  });

  it("client ip: behind a gate whose pods come from a range, the range is skipped", () => {
    const pods = trustedProxies(["10.244.0.0/16"]);
    expect(clientIp(request("::ffff:10.244.7.9", "198.51.100.7, 10.244.1.2"), pods)).toBe("198.51.100.7");
    expect(clientIp(request("10.245.0.1", "198.51.100.7"), pods)).toBe("10.245.0.1");
  });
});

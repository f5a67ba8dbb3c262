import { describe, expect, it } from "vitest";
import { defaultLocalIps, parseLocalIps } from "./local-ips.ts";

describe("loadtest local ips", () => {
  it("loadtest: parses k6's --local-ips ranges, loopback only", () => {
    expect(parseLocalIps("127.0.0.2-127.0.0.4")).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    expect(parseLocalIps("127.0.0.1, 127.0.1.255-127.0.2.0")).toEqual(["127.0.0.1", "127.0.1.255", "127.0.2.0"]);
    expect(parseLocalIps("127.0.0.2-127.0.0.250")).toHaveLength(249);
    expect(() => parseLocalIps("10.0.0.1")).toThrow(/loopback/);
    expect(() => parseLocalIps("127.0.0.9-127.0.0.2")).toThrow(/backwards/);
    expect(() => parseLocalIps("127.0.0.300")).toThrow(/loopback/);
    expect(() => parseLocalIps("")).toThrow(/no local IPs/);
  });

  it("loadtest: each run's default addresses are 249 of a block of their own (a new crowd), one address off Linux", () => {
    expect(defaultLocalIps("linux", () => 0)).toBe("127.0.1.2-127.0.1.250");
    expect(defaultLocalIps("linux", () => 0.9999)).toBe("127.0.254.2-127.0.254.250");
    expect(parseLocalIps(defaultLocalIps("linux"))).toHaveLength(249);
    const blocks = new Set(Array.from({ length: 50 }, () => defaultLocalIps("linux")));
    expect(blocks.size).toBeGreaterThan(1);
    expect(defaultLocalIps("darwin")).toBe("127.0.0.1");
  });
});

import { describe, expect, it } from "vitest";
import { parseLocalIps } from "./local-ips.ts";

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
});

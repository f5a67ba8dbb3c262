import { describe, expect, it } from "vitest";
import { ipGroup } from "./ip-group.ts";

describe("ip groups", () => {
  it("client ip: IPv6 addresses of one /64 share a group; another /64 does not", () => {
    const a = ipGroup("2001:db8:abcd:12:1::1");
    expect(a).toBe("2001:db8:abcd:12::/64");
    expect(ipGroup("2001:0db8:abcd:0012:ffff:ffff:ffff:ffff")).toBe(a);
    expect(ipGroup("2001:db8:abcd:12::")).toBe(a);
    expect(ipGroup("2001:db8:abcd:13::1")).not.toBe(a);
    expect(ipGroup("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(ipGroup("::1")).toBe("0:0:0:0::/64");
  });

  it("client ip: IPv4 stays itself, also when mapped into IPv6; anything else is left as it is", () => {
    expect(ipGroup("203.0.113.9")).toBe("203.0.113.9");
    expect(ipGroup("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(ipGroup("::ffff:cb00:7109")).toBe("203.0.113.9");
    expect(ipGroup("unknown")).toBe("unknown");
  });
});

import { describe, expect, it } from "vitest";
import { assertLoopback } from "./loopback.ts";

describe("loadtest", () => {
  it("loadtest: accepts loopback targets only", () => {
    expect(assertLoopback("http://127.0.0.1:8080").port).toBe("8080");
    expect(assertLoopback("http://localhost:8080").hostname).toBe("localhost");
    expect(assertLoopback("http://[::1]:8080").hostname).toBe("[::1]");
    expect(() => assertLoopback("http://10.0.0.5:8080")).toThrow(/loopback/);
    expect(() => assertLoopback("https://example.com")).toThrow(/loopback/);
    expect(() => assertLoopback("http://127.0.0.1.evil.com")).toThrow(/loopback/);
  });
});

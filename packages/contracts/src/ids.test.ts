import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { commandIdFor, holdIdFor, orderIdForHold, uuidV5 } from "./ids.ts";

describe("ids", () => {
  it("ids: uuidV5 matches the RFC 9562 example (DNS namespace, www.example.com)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("ids: uuidV5 hashes the whole name, whatever its length or script (a shared buffer holds short names)", () => {
    // RFC 9562's construction spelled out with a Hash object, as ids.ts did before it hashed one buffer.
    const reference = (name: string, namespace: string) => {
      const digest = createHash("sha1").update(Buffer.from(namespace.replaceAll("-", ""), "hex")).update(name, "utf8").digest();
      digest[6] = (digest[6]! & 0x0f) | 0x50;
      digest[8] = (digest[8]! & 0x3f) | 0x80;
      const hex = digest.subarray(0, 16).toString("hex");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const ns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    // Around the shared buffer's bound, past it, non-ASCII (2-, 3- and 4-byte UTF-8), empty.
    const names = ["", "a", "x".repeat(165), "x".repeat(166), "x".repeat(5_000), "é".repeat(200), "€".repeat(165), "€".repeat(166), "🎫".repeat(100), "key:ü€🎫"];
    for (const name of names) expect(uuidV5(name, ns), `${name.length} × ${name.slice(0, 1)}`).toBe(reference(name, ns));
    // A long name hashed between two short ones leaves nothing behind in the shared buffer.
    const short = uuidV5("short", ns);
    uuidV5("y".repeat(400), ns);
    expect(uuidV5("short", ns)).toBe(short);
  });

  it("ids: the same idempotency key gives the same command, hold and order ids; another key does not", () => {
    const a = commandIdFor("u1", "key-1");
    expect(commandIdFor("u1", "key-1")).toBe(a);
    expect(commandIdFor("u2", "key-1")).not.toBe(a);
    expect(holdIdFor(a)).toBe(holdIdFor(a));
    expect(orderIdForHold(holdIdFor(a))).not.toBe(holdIdFor(a));
    expect(orderIdForHold(holdIdFor(a))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

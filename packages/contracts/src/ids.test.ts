import { describe, expect, it } from "vitest";
import { commandIdFor, holdIdFor, orderIdForHold, uuidV5 } from "./ids.ts";

describe("ids", () => {
  it("ids: uuidV5 matches the RFC 9562 example (DNS namespace, www.example.com)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
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

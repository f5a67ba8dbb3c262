import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonical JSON", () => {
  it("canonical JSON: key order does not matter, values do", () => {
    expect(canonicalJson({ b: [1, { y: 2, x: 1 }], a: "s" })).toBe(canonicalJson({ a: "s", b: [1, { x: 1, y: 2 }] }));
    expect(canonicalJson({ seatIds: ["A-1-1", "A-1-2"] })).not.toBe(canonicalJson({ seatIds: ["A-1-2", "A-1-1"] }));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it("canonical JSON: parses back to the same value, whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = JSON.parse(JSON.stringify(value), (_k, v) =>
          v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

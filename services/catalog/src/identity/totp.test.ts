import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchStep, newRecoveryCodes, newTotpSecret, otpauthUri, secretBox, stepAt } from "./totp.ts";

const RFC_SECRET = Buffer.from("12345678901234567890");

describe("totp", () => {
  it("totp: HOTP gives RFC 4226's test values", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(expected);
  });

  it("totp: TOTP gives RFC 6238's SHA-1 test values (8 digits)", () => {
    const vectors: [number, string][] = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
    ];
    for (const [seconds, code] of vectors) expect(hotp(RFC_SECRET, stepAt(seconds * 1000), 8)).toBe(code);
  });

  it("totp: base32 round-trips and reads what apps print (lower case, spaces, padding)", () => {
    expect(base32Encode(RFC_SECRET)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq====")).toEqual(RFC_SECRET);
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(() => base32Decode("not base32!")).toThrow();
  });

  it("totp: a code matches its step and one either side, never an older or used step", () => {
    const now = 1_800_000_000_000;
    const step = stepAt(now);
    const code = (s: number) => hotp(RFC_SECRET, s);
    expect(matchStep(RFC_SECRET, code(step), now, 0)).toBe(step);
    expect(matchStep(RFC_SECRET, code(step - 1), now, 0)).toBe(step - 1);
    expect(matchStep(RFC_SECRET, code(step + 1), now, 0)).toBe(step + 1);
    expect(matchStep(RFC_SECRET, code(step - 2), now, 0)).toBeUndefined();
    // Used once: the same code is refused for the rest of its window.
    expect(matchStep(RFC_SECRET, code(step), now, step)).toBeUndefined();
    expect(matchStep(RFC_SECRET, "000000", now, 0) === undefined || code(step) === "000000").toBe(true);
  });

  it("totp: the enrolment URI is the Key Uri Format apps read", () => {
    const uri = new URL(otpauthUri("JBSWY3DPEHPK3PXP", "ada@example.com", "Rush"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Rush:ada@example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: "JBSWY3DPEHPK3PXP", issuer: "Rush", algorithm: "SHA1", digits: "6", period: "30" });
  });

  it("totp: secrets are sealed at rest; another key or a changed byte does not open them", () => {
    const box = secretBox("one service secret");
    const sealed = box.seal("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.open(sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(box.seal("JBSWY3DPEHPK3PXP")).not.toBe(sealed);
    expect(() => secretBox("another secret").open(sealed)).toThrow();
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    const tampered = `v1.${raw.toString("base64url")}`;
    expect(() => box.open(tampered)).toThrow();
  });

  it("totp: recovery codes are ten distinct xxxxx-xxxxx codes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  });
});

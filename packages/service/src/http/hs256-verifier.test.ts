import { createHmac } from "node:crypto";
import { createSigner } from "fast-jwt";
import { describe, expect, it } from "vitest";
import { TokenError, createHs256Verifier } from "./hs256-verifier.ts";

const SECRET = "a-test-secret-of-sufficient-length-0123";
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

const sign = (claims: Record<string, unknown>, options: { key?: string; algorithm?: "HS256" | "HS512" } = {}) =>
  createSigner({ key: options.key ?? SECRET, algorithm: options.algorithm ?? "HS256", clockTimestamp: NOW })(claims);
const good = { sub: "u1", roles: ["buyer"], iss: "rush-identity", aud: "rush-api", exp: NOW / 1000 + 600 };

function verifier(clock = { now: NOW }) {
  let parses = 0;
  const verify = createHs256Verifier({
    secret: SECRET,
    issuer: "rush-identity",
    audience: "rush-api",
    cacheSize: 2,
    clock: () => clock.now,
    parse: (raw) => {
      parses += 1;
      if (typeof raw.sub !== "string") throw new TokenError("the token's claims are not ours");
      return { sub: raw.sub };
    },
  });
  return { verify, parses: () => parses, clock };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const hs256 = (header: unknown, payload: unknown, key = SECRET) => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
};

describe("hs256 verifier", () => {
  it("auth: a token signed with the secret yields its parsed claims, once per token (cached)", () => {
    const { verify, parses } = verifier();
    const token = sign(good);
    expect(verify(token)).toEqual({ sub: "u1" });
    expect(verify(token)).toEqual({ sub: "u1" });
    expect(parses()).toBe(1);
    expect(verify(sign({ ...good, aud: ["other", "rush-api"] }))).toEqual({ sub: "u1" });
  });

  it("auth: forged, re-signed with another key or algorithm, alg none and extra header fields are refused", () => {
    const { verify } = verifier();
    const token = sign(good);
    const [header, payload] = token.split(".");
    const tampered = `${header}.${b64({ ...good, sub: "admin" })}.${token.split(".")[2]}`;
    expect(() => verify(tampered)).toThrow(/signature is invalid/);
    expect(() => verify(sign(good, { key: "another-secret-of-sufficient-length" }))).toThrow(/signature is invalid/);
    expect(() => verify(sign(good, { algorithm: "HS512" }))).toThrow(/algorithm is invalid/);
    expect(() => verify(`${b64({ alg: "none", typ: "JWT" })}.${payload}.`)).toThrow(TokenError);
    expect(() => verify(hs256({ alg: "none" }, good))).toThrow(/algorithm is invalid/);
    expect(() => verify(hs256({ alg: "HS256", kid: "x" }, good))).toThrow(/algorithm is invalid/);
    expect(verify(hs256({ alg: "HS256" }, good))).toEqual({ sub: "u1" });
  });

  it("auth: wrong issuer or audience, no expiry, expired and not-yet-valid tokens are refused", () => {
    const { verify } = verifier();
    expect(() => verify(sign({ ...good, iss: "someone-else" }))).toThrow(/iss claim/);
    expect(() => verify(sign({ ...good, aud: "another-api" }))).toThrow(/aud claim/);
    const { exp: _exp, ...noExpiry } = good;
    expect(() => verify(hs256({ alg: "HS256", typ: "JWT" }, noExpiry))).toThrow(/no expiry/);
    expect(() => verify(sign({ ...good, exp: NOW / 1000 - 1 }))).toThrow(/expired/);
    expect(() => verify(sign({ ...good, nbf: NOW / 1000 + 60 }))).toThrow(/not yet active/);
    expect(() => verify(sign({ ...good, sub: 42 }))).toThrow(/not ours/);
  });

  it("auth: malformed tokens are refused with a reason", () => {
    const { verify } = verifier();
    for (const token of ["", "abc", "a.b", "a.b.c.d", ".b.c", "a.b.", `${b64({ alg: "HS256" })}.%%%.abc`, "!!!.e30.abc"]) {
      expect(() => verify(token), token).toThrow(TokenError);
    }
    expect(() => verify(hs256({ alg: "HS256" }, [1, 2]))).toThrow(/must be an object/);
  });

  it("auth: a cached token is refused once it expires, and the cache stays bounded", () => {
    const { verify, parses, clock } = verifier();
    const short = sign({ ...good, exp: NOW / 1000 + 5 });
    expect(verify(short)).toEqual({ sub: "u1" });
    clock.now += 6_000;
    expect(() => verify(short)).toThrow(/expired/);
    const tokens = ["a", "b", "c"].map((sub) => sign({ ...good, sub, exp: NOW / 1000 + 600 }));
    for (const token of tokens) verify(token);
    const before = parses();
    verify(tokens[0]!); // evicted by the third (cache of 2): verified again
    verify(tokens[2]!); // still cached
    expect(parses()).toBe(before + 1);
  });
});

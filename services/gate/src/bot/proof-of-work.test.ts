import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSolution, issueChallenge, leadingZeroBits, nonSolution, powDigest, solveChallenge } from "./proof-of-work.ts";

const SECRET = "test-secret-test-secret";
const user = "2d5b6f3e-9a51-4a43-9d3f-000000000001";
const session = "2d5b6f3e-9a51-4a43-9d3f-000000000002";
const expected = (now = 1_000) => ({ userId: user, sessionId: session, minDifficulty: 8, now });

describe("proof of work", () => {
  it("pow: leading zero bits counts bits, not bytes", () => {
    expect(leadingZeroBits(Buffer.from([0x00, 0x00, 0xff]))).toBe(16);
    expect(leadingZeroBits(Buffer.from([0x00, 0x01]))).toBe(15);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0x00, 0x00]))).toBe(16);
  });

  it("pow: leading zero bits agree with the binary string of the digest", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes) => {
        const bits = [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("");
        const zeros = bits.indexOf("1") === -1 ? bits.length : bits.indexOf("1");
        expect(leadingZeroBits(Buffer.from(bytes))).toBe(zeros);
      }),
    );
  });

  it("pow: a solved challenge checks out, bound to its buyer and session", () => {
    const challenge = issueChallenge(SECRET, user, session, 8, 5_000);
    const nonce = solveChallenge(challenge.token, 8);
    expect(leadingZeroBits(powDigest(challenge.token, nonce))).toBeGreaterThanOrEqual(8);
    expect(checkSolution(SECRET, challenge.token, nonce, expected())).toMatchObject({ ok: true });
    expect(checkSolution(SECRET, challenge.token, nonce, { ...expected(), userId: session })).toMatchObject({ ok: false });
    expect(checkSolution(SECRET, challenge.token, nonce, { ...expected(), sessionId: user })).toMatchObject({ ok: false });
  });

  it("pow: expired, tampered, too easy, unsolved or foreign challenges fail with a reason", () => {
    const challenge = issueChallenge(SECRET, user, session, 8, 5_000);
    const nonce = solveChallenge(challenge.token, 8);
    expect(checkSolution(SECRET, challenge.token, nonce, expected(5_000))).toEqual({ ok: false, reason: "the challenge has expired" });
    const easier = challenge.token.replace(".8.", ".1.");
    expect(checkSolution(SECRET, easier, nonce, expected())).toEqual({ ok: false, reason: "the challenge was tampered with" });
    expect(checkSolution("another-secret-entirely", challenge.token, nonce, expected())).toMatchObject({ ok: false });
    const weak = issueChallenge(SECRET, user, session, 2, 5_000);
    expect(checkSolution(SECRET, weak.token, solveChallenge(weak.token, 2), expected())).toEqual({ ok: false, reason: "the challenge is too easy" });
    const wrong = nonSolution(challenge.token, 8);
    expect(leadingZeroBits(powDigest(challenge.token, wrong))).toBeLessThan(8);
    expect(checkSolution(SECRET, challenge.token, wrong, expected())).toEqual({ ok: false, reason: "the nonce does not solve the challenge" });
    expect(checkSolution(SECRET, "p1.a.b", nonce, expected())).toEqual({ ok: false, reason: "not a challenge of ours" });
  });
});

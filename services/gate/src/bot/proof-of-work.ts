import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Stateless proof-of-work challenges: the token carries who it is for, its difficulty and its
 * expiry, signed with the gate's secret, so any gate can check a solution. A solution is
 * `nonce` such that sha256(token + ":" + nonce) starts with `difficulty` zero bits.
 */
export interface Challenge {
  token: string;
  difficulty: number;
  expiresAt: number;
}

const VERSION = "p1";

const mac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("base64url");

export function issueChallenge(secret: string, userId: string, sessionId: string, difficulty: number, expiresAt: number): Challenge {
  const salt = randomBytes(12).toString("base64url");
  const body = [VERSION, userId, sessionId, difficulty, expiresAt, salt].join(".");
  return { token: `${body}.${mac(secret, body)}`, difficulty, expiresAt };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export const powDigest = (token: string, nonce: string): Buffer => createHash("sha256").update(`${token}:${nonce}`).digest();

/** Finds a nonce (what a browser does in a worker); for tests and tools. */
export function solveChallenge(token: string, difficulty: number): string {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(powDigest(token, nonce)) >= difficulty) return nonce;
  }
}

/** A nonce that does NOT solve the challenge (any fixed guess solves one in 2^difficulty); for tests. */
export function nonSolution(token: string, difficulty: number): string {
  for (let i = 0; ; i++) {
    const nonce = `not-it-${i}`;
    if (leadingZeroBits(powDigest(token, nonce)) < difficulty) return nonce;
  }
}

export type ChallengeCheck = { ok: true; salt: string; expiresAt: number } | { ok: false; reason: string };

/** Checks a solution's signature, binding, expiry and work. Replays are the caller's to refuse (by `salt`). */
export function checkSolution(
  secret: string,
  token: string,
  nonce: string,
  expected: { userId: string; sessionId: string; minDifficulty: number; now: number },
): ChallengeCheck {
  const parts = token.split(".");
  if (parts.length !== 7 || parts[0] !== VERSION) return { ok: false, reason: "not a challenge of ours" };
  const [, userId, sessionId, difficultyText, expiresText, salt, signature] = parts as [string, string, string, string, string, string, string];
  const expectedMac = Buffer.from(mac(secret, parts.slice(0, 6).join(".")));
  const given = Buffer.from(signature);
  if (given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac)) return { ok: false, reason: "the challenge was tampered with" };
  if (userId !== expected.userId || sessionId !== expected.sessionId) return { ok: false, reason: "the challenge is for another buyer or session" };
  const difficulty = Number(difficultyText);
  const expiresAt = Number(expiresText);
  if (expiresAt <= expected.now) return { ok: false, reason: "the challenge has expired" };
  if (difficulty < expected.minDifficulty) return { ok: false, reason: "the challenge is too easy" };
  if (leadingZeroBits(powDigest(token, nonce)) < difficulty) return { ok: false, reason: "the nonce does not solve the challenge" };
  return { ok: true, salt, expiresAt };
}

import { createSigner, createVerifier } from "fast-jwt";

const ISSUER = "rush-gate";
const TYPE = "admission";

export interface AdmissionTokens {
  /** A token admitting `userId` to `sessionId` until `now + ttl`. */
  issue(userId: string, sessionId: string, now: number): { token: string; expiresAt: number };
  /** Whether `token` is ours, unexpired at `now`, and admits exactly this user to this session. */
  verify(token: string, userId: string, sessionId: string, now: number): { ok: true } | { ok: false; reason: string };
}

/**
 * Admission tokens: HS256 JWTs signed with the gate's own secret (not identity's, so an access
 * token can never pass as an admission), bound to the user and the session. Expiry is checked
 * against the injected clock rather than the library's.
 */
export function createAdmissionTokens(secret: string, ttlSeconds: number): AdmissionTokens {
  const sign = createSigner({ key: secret, algorithm: "HS256", noTimestamp: true });
  const verifier = createVerifier({ key: secret, algorithms: ["HS256"], allowedIss: ISSUER, ignoreExpiration: true, cache: 10_000 });
  return {
    issue(userId, sessionId, now) {
      const expiresAt = now + ttlSeconds * 1000;
      const token = sign({ iss: ISSUER, typ: TYPE, sub: userId, sid: sessionId, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) });
      return { token, expiresAt: Math.floor(expiresAt / 1000) * 1000 };
    },
    verify(token, userId, sessionId, now) {
      let claims: Record<string, unknown>;
      try {
        claims = verifier(token) as Record<string, unknown>;
      } catch (error) {
        return { ok: false, reason: `the admission token is invalid (${(error as Error).message})` };
      }
      if (claims.typ !== TYPE) return { ok: false, reason: "not an admission token" };
      if (claims.sub !== userId || claims.sid !== sessionId) return { ok: false, reason: "the admission token is for another buyer or session" };
      if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return { ok: false, reason: "the admission token has expired: ask the queue again" };
      return { ok: true };
    },
  };
}

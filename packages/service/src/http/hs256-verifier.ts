import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";

export interface Hs256VerifierOptions<T> {
  secret: string;
  /** The claims as the caller's type (a zod parse), or throws: run once per token, cached with it. */
  parse(claims: Record<string, unknown>): T;
  issuer: string;
  audience: string;
  /** Verified tokens kept (by their text) until they expire; the oldest go first. */
  cacheSize: number;
  clock?: () => number;
}

/** Why a token was refused; the message is the 401's detail. */
export class TokenError extends Error {}

const ACCEPTED_HEADERS = new Set<string>();

/** `{"alg":"HS256"}` (with or without `typ: JWT`) and nothing else: no `none`, no key ids, no algorithm confusion. */
function checkHeader(encoded: string): void {
  if (ACCEPTED_HEADERS.has(encoded)) return;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new TokenError("The token header is not a valid base64url serialized JSON.");
  }
  const { alg, typ, ...rest } = (header ?? {}) as { alg?: unknown; typ?: unknown };
  if (typeof header !== "object" || alg !== "HS256" || (typ !== undefined && typ !== "JWT") || Object.keys(rest).length > 0) {
    throw new TokenError("The token algorithm is invalid.");
  }
  if (ACCEPTED_HEADERS.size < 16) ACCEPTED_HEADERS.add(encoded);
}

/**
 * Verifies an HS256 access token: signature, issuer, audience, expiry and not-before.
 *
 * In place of @fastify/jwt's verifier on the request path: with a new buyer on nearly every hold
 * of a flash sale, fast-jwt's cache misses far more than it hits, and a miss (a SHA-256 of the
 * token for the cache key, then the verify) cost the gate three times the HMAC itself. Here the
 * cache is keyed by the token's text (JavaScript hashes strings natively) and a miss is one HMAC
 * over a reused key object.
 */
export function createHs256Verifier<T>(options: Hs256VerifierOptions<T>): (token: string) => T {
  const key = createSecretKey(Buffer.from(options.secret, "utf8"));
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { claims: T; expiresAt: number }>();

  const verifyUncached = (token: string): { claims: T; expiresAt: number } => {
    const first = token.indexOf(".");
    const last = token.lastIndexOf(".");
    if (first <= 0 || last === first || last === token.length - 1 || token.indexOf(".", first + 1) !== last) {
      throw new TokenError("The token is malformed.");
    }
    checkHeader(token.slice(0, first));
    const expected = createHmac("sha256", key).update(token.slice(0, last)).digest();
    const given = Buffer.from(token.slice(last + 1), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError("The token signature is invalid.");
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(token.slice(first + 1, last), "base64url").toString("utf8"));
    } catch {
      throw new TokenError("The token payload is not a valid base64url serialized JSON.");
    }
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) throw new TokenError("The token payload must be an object.");
    const { iss, aud, exp, nbf } = claims as { iss?: unknown; aud?: unknown; exp?: unknown; nbf?: unknown };
    if (iss !== options.issuer) throw new TokenError("The iss claim value is not allowed.");
    if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) throw new TokenError("The aud claim value is not allowed.");
    if (typeof exp !== "number") throw new TokenError("The token has no expiry.");
    const now = clock();
    if (exp * 1000 <= now) throw new TokenError(`The token has expired at ${new Date(exp * 1000).toISOString()}.`);
    if (nbf !== undefined && (typeof nbf !== "number" || nbf * 1000 > now)) throw new TokenError("The token is not yet active.");
    return { claims: options.parse(claims as Record<string, unknown>), expiresAt: exp * 1000 };
  };

  return (token) => {
    const hit = cache.get(token);
    if (hit) {
      if (hit.expiresAt > clock()) return hit.claims;
      cache.delete(token);
    }
    const verified = verifyUncached(token);
    if (cache.size >= options.cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(token, verified);
    return verified.claims;
  };
}

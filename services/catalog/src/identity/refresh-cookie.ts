import { type TrustedProxies, reachedOverTls } from "@rush/service";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The browser's refresh token lives in an HttpOnly cookie, out of reach of any script (an XSS
 * cannot read or exfiltrate it), sent only to `/v1/auth/*` and never cross-site (SameSite=Strict).
 * Non-browser clients keep using the JSON bodies of API.md; the cookie is the fallback when a
 * refresh or logout body names no token.
 */
export const REFRESH_COOKIE = "rush_refresh";
const PATH = "/v1/auth";

export interface RefreshCookies {
  set(request: FastifyRequest, reply: FastifyReply, token: string): void;
  clear(request: FastifyRequest, reply: FastifyReply): void;
}

export function refreshCookies(options: { maxAgeSeconds: number; trustedProxies: TrustedProxies }): RefreshCookies {
  const write = (request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) => {
    const attributes = [`${REFRESH_COOKIE}=${value}`, `Path=${PATH}`, `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Strict"];
    // Secure whenever the client came over TLS (directly or through a trusted proxy).
    if (reachedOverTls(request, (peer) => options.trustedProxies.has(peer))) attributes.push("Secure");
    reply.header("set-cookie", attributes.join("; "));
  };
  return {
    set: (request, reply, token) => write(request, reply, token, options.maxAgeSeconds),
    clear: (request, reply) => write(request, reply, "", 0),
  };
}

/** The refresh token the request's cookie carries, if any. */
export function readRefreshCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === REFRESH_COOKIE) return value.join("=") || undefined;
  }
  return undefined;
}

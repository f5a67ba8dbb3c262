import type { TrustedProxies } from "@rush/service";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The browser's refresh token lives in an HttpOnly cookie, out of reach of any script (an XSS
 * cannot read or exfiltrate it), sent only to `/v1/auth/*` and never cross-site (SameSite=Strict).
 * Non-browser clients keep using the JSON bodies of API.md; the cookie is the fallback when a
 * refresh or logout body names no token.
 */
export const REFRESH_COOKIE = "rush_refresh";
const PATH = "/v1/auth";

/**
 * Whether the client reached us over TLS: directly, or as the nearest trusted proxy (the gate,
 * or the TLS terminator in front of it) says in `X-Forwarded-Proto`.
 */
export function viaTls(request: FastifyRequest, trustedProxies: TrustedProxies): boolean {
  if ((request.socket as { encrypted?: boolean }).encrypted) return true;
  if (!trustedProxies.has(request.socket.remoteAddress ?? "")) return false;
  const header = request.headers["x-forwarded-proto"];
  const nearest = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").at(-1)?.trim().toLowerCase();
  return nearest === "https";
}

export interface RefreshCookies {
  set(request: FastifyRequest, reply: FastifyReply, token: string): void;
  clear(request: FastifyRequest, reply: FastifyReply): void;
}

export function refreshCookies(options: { maxAgeSeconds: number; trustedProxies: TrustedProxies }): RefreshCookies {
  const write = (request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) => {
    const attributes = [`${REFRESH_COOKIE}=${value}`, `Path=${PATH}`, `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Strict"];
    if (viaTls(request, options.trustedProxies)) attributes.push("Secure");
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

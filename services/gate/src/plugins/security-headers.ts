import type { FastifyInstance, FastifyRequest } from "fastify";
import { DEV_OUTBOX_PAGES } from "./dev-outbox-routes.ts";

/**
 * The browser app's Content-Security-Policy: everything from our own origin only (scripts,
 * styles, the proof-of-work worker, fetch and the socket.io WebSocket), images also as data:
 * URLs (the QR codes and the favicon), no plugins, no <base> tricks, and no framing anywhere.
 * No 'unsafe-inline': Vite's build has no inline script or style.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** What a JSON or other non-page answer may do if a browser ever renders it: nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The interactive API docs (swagger-ui) need inline styles and scripts: they get framing rules only. */
const DOCS = /^\/docs(\/|$)/;

export const HSTS = "max-age=31536000; includeSubDomains";

export interface SecurityHeadersOptions {
  /** Whether this request reached us over TLS (directly, or per a trusted proxy's X-Forwarded-Proto). */
  viaTls(request: FastifyRequest): boolean;
}

/**
 * Headers every answer of the gate carries (issue 17.10): CSP, no framing (also as the legacy
 * X-Frame-Options), no MIME sniffing, a referrer policy that leaks no paths cross-origin, and
 * HSTS when the request came over TLS (sent over plain HTTP it would be ignored anyway, and
 * would pin a local http:// stack to https).
 */
export function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): void {
  app.addHook("onSend", async (request, reply, payload) => {
    const type = String(reply.getHeader("content-type") ?? "");
    // A 304 has no content type, yet browsers store its headers over the cached page's: a
    // revalidated index.html given the API's CSP would block the returning buyer's whole app.
    const page = type.startsWith("text/html") || (reply.statusCode === 304 && String(request.headers.accept ?? "").includes("text/html"));
    // The development outbox's pages come with the mail worker's own policy (no script at all,
    // inline styles and data: images for the messages): the app's would strip the messages' styles.
    const upstreamPolicy = DEV_OUTBOX_PAGES.test(request.url) && reply.hasHeader("content-security-policy");
    if (upstreamPolicy) reply.header("content-security-policy", `${String(reply.getHeader("content-security-policy"))}; frame-ancestors 'none'`);
    else if (!DOCS.test(request.url)) reply.header("content-security-policy", page ? APP_CSP : API_CSP);
    else reply.header("content-security-policy", "frame-ancestors 'none'");
    reply.header("x-frame-options", "DENY");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "strict-origin-when-cross-origin");
    if (options.viaTls(request)) reply.header("strict-transport-security", HSTS);
    return payload;
  });
}

import type { IncomingHttpHeaders } from "node:http";

// RFC 9110 §7.6.1: meant for one connection only. `expect` too: the gate has already answered
// `100 Continue` to its client, and undici refuses to send it at all (that was a 503 per upload).
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "host",
]);

/** The request headers a proxy forwards: hop-by-hop ones and any the `Connection` header names are dropped. */
export function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !named.has(lower)) kept[lower] = value;
  }
  return kept;
}

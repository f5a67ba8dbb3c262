import type { FastifyRequest } from "fastify";
import type { TrustedProxies } from "@rush/service";

/**
 * The caller's address for throttling. Behind the gate every request comes from the gate, so
 * when the peer is a trusted proxy the right-most untrusted `X-Forwarded-For` entry is the
 * client (entries further left are whatever the client claimed).
 */
export function clientIp(request: FastifyRequest, trustedProxies: TrustedProxies): string {
  const peer = request.socket.remoteAddress ?? "unknown";
  if (!trustedProxies.has(peer)) return peer;
  const header = request.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(hops[i]!)) return hops[i]!;
  }
  return peer;
}

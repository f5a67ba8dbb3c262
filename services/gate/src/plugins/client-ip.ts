import { ipGroup, trustedProxies } from "@rush/service";
import type { FastifyRequest } from "fastify";

/**
 * The caller's address: the socket's, or with `trustProxy` the first untrusted hop of
 * `X-Forwarded-For`. The shared service shell does not pass Fastify's own `trustProxy`, so the
 * gate resolves it here (simple forms: all, a hop count, or a list of proxy addresses and CIDR
 * ranges).
 */
export function clientIpResolver(trust: boolean | number | readonly string[]): (request: FastifyRequest) => string {
  if (trust === false || trust === 0) return (request) => request.socket.remoteAddress ?? request.ip;
  const proxies = typeof trust === "object" ? trustedProxies(trust) : undefined;
  return (request) => {
    const socket = request.socket.remoteAddress ?? request.ip;
    const header = request.headers["x-forwarded-for"];
    const text = Array.isArray(header) ? header.join(",") : header;
    if (!text) return socket;
    if (proxies && !proxies.has(socket)) return socket;
    // Nearest hop last: skip the proxies we trust, the next one is the client.
    const hops = [socket, ...text.split(",").map((s) => s.trim()).filter(Boolean).reverse()];
    if (trust === true) return hops[hops.length - 1] ?? socket;
    if (typeof trust === "number") return hops[Math.min(trust, hops.length - 1)] ?? socket;
    const firstUntrusted = hops.find((hop) => !proxies?.has(hop));
    return firstUntrusted ?? hops[hops.length - 1] ?? socket;
  };
}

/**
 * What per-IP limits and bot signals count by: the client's address, an IPv6 one widened to its
 * /64 (one subscriber's whole prefix). Upstreams still get the exact address in X-Forwarded-For.
 */
export function clientIpGroupResolver(resolve: (request: FastifyRequest) => string): (request: FastifyRequest) => string {
  return (request) => ipGroup(resolve(request));
}

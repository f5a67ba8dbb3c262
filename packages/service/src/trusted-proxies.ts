import { BlockList, isIP } from "node:net";

/** Which peers' `X-Forwarded-For` is believed. */
export interface TrustedProxies {
  has(address: string): boolean;
}

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Why `entry` is not an address or a CIDR range, or undefined if it is one. */
export function trustedProxyProblem(entry: string): string | undefined {
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return `"${entry}" is not an IP address or CIDR range`;
  if (bits === undefined) return undefined;
  const prefix = Number(bits);
  const max = family === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && prefix <= max ? undefined : `"${entry}": the prefix length must be 0–${max}`;
}

/**
 * Addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`): behind a Kubernetes Service the gate's
 * pods come from a range, not fixed addresses. A peer written IPv4-mapped (`::ffff:10.1.2.3`,
 * as a dual-stack socket reports it) matches the IPv4 entries too. Entries must be valid
 * (`trustedProxyProblem`); the config checks them at boot.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const problem = trustedProxyProblem(entry);
    if (problem) throw new Error(problem);
    const [address, bits] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return {
    has(address) {
      const family = isIP(address);
      if (family === 0) return false;
      if (family === 4) return list.check(address, "ipv4");
      const mapped = MAPPED_V4.exec(address);
      return list.check(address, "ipv6") || (mapped !== null && list.check(mapped[1]!, "ipv4"));
    },
  };
}

/** What `reachedOverTls` reads of a request (a Fastify request, or Node's). */
interface TlsEvidence {
  socket: { encrypted?: boolean; remoteAddress?: string | undefined };
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Whether the client reached us over TLS: our own socket is encrypted, or the peer is a proxy
 * we trust and the nearest `X-Forwarded-Proto` hop says https (what sets `Secure` cookies and HSTS).
 */
export function reachedOverTls(request: TlsEvidence, trustsPeer: (peer: string) => boolean): boolean {
  if (request.socket.encrypted) return true;
  if (!trustsPeer(request.socket.remoteAddress ?? "")) return false;
  const header = request.headers["x-forwarded-proto"];
  return (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").at(-1)?.trim().toLowerCase() === "https";
}

/**
 * Source addresses to spread load over, as k6's `--local-ips` writes them: `127.0.0.2-127.0.0.250`,
 * `127.0.0.1`, or a comma-separated mix. Loopback only; Linux routes all of 127.0.0.0/8 to `lo`
 * (macOS needs each address aliased first: `sudo ifconfig lo0 alias 127.0.0.2`).
 */
export function parseLocalIps(spec: string): string[] {
  const ips: string[] = [];
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [from, to = from] = part.split("-").map((s) => s.trim()) as [string, string?];
    const a = toNumber(from);
    const b = toNumber(to);
    if (b < a) throw new Error(`local IP range ${part} runs backwards`);
    if (b - a > 65_535) throw new Error(`local IP range ${part} is too large`);
    for (let n = a; n <= b; n++) ips.push(toIp(n));
  }
  if (ips.length === 0) throw new Error("no local IPs given");
  return ips;
}

function toNumber(ip: string): number {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  const octets = m ? [127, Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (octets.length !== 4 || octets.some((o) => o > 255)) throw new Error(`local IPs must be loopback IPv4 addresses (127.x.y.z), got ${ip}`);
  return octets.reduce((n, o) => n * 256 + o, 0);
}

const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/**
 * The default spread: where the OS routes all of 127/8, 249 addresses of a block picked for the
 * run (127.0.B.2-127.0.B.250, B from 1 to 254), as a new crowd of buyers comes from addresses of
 * its own. Two runs from the same addresses within an hour are 16 accounts an address, which the
 * gate's bot scoring rightly calls suspicious (BOT_ACCOUNTS_PER_IP): the second run's buyers were
 * challenged with proofs of work. Elsewhere one address.
 */
export function defaultLocalIps(platform: NodeJS.Platform = process.platform, random: () => number = Math.random): string {
  if (platform !== "linux") return "127.0.0.1";
  const block = 1 + Math.floor(random() * 254);
  return `127.0.${block}.2-127.0.${block}.250`;
}

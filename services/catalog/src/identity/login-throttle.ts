import { createHash } from "node:crypto";
import { ipGroup } from "@rush/service";
import type { Redis } from "ioredis";

/**
 * Login throttling in Redis over a fixed window, keyed so that guessing someone's password
 * cannot lock them out (a flash sale would make that a weapon against competitors):
 * - per account *and* client IP: one source guessing one account stops there, and the owner,
 *   who logs in from elsewhere, is not counted with it;
 * - per client IP across accounts: one source spraying many accounts;
 * - per account across IPs, past a higher limit: a distributed guess. From then on only IPs the
 *   account has logged in from before (remembered for `knownIpDays`) may try, so the owner's
 *   usual places still get in while fresh botnet addresses do not.
 * Every attempt counts up front (atomically, so a burst cannot slip more guesses past a limit
 * than it allows); a successful login clears its account+IP count, gives its attempt back and
 * remembers the IP.
 */
export interface LoginThrottle {
  /** Counts an attempt: `allowed: false` with the seconds to wait once a limit is passed. */
  attempt(email: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  succeeded(email: string, ip: string): Promise<void>;
}

export interface LoginThrottleOptions {
  maxFailuresPerAccountIp: number;
  maxFailuresPerIp: number;
  maxFailuresPerAccount: number;
  windowMs: number;
  knownIpDays?: number;
}

// Digests keep addresses (e-mails and IPs tied to accounts) out of Redis.
const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("base64url");
// IPv6 clients count per /64: one subscriber holds the whole prefix. One script counts an
// account's and an address's attempts together, so on a Redis Cluster its keys share one slot:
// the `{login}` tag (logins are a trickle next to holds; one slot carries them easily).
const keysOf = (email: string, address: string) => {
  const ip = ipGroup(address);
  const account = digest(email.toLowerCase());
  return [
    `login:{login}:fail:acct-ip:${digest(email.toLowerCase(), ip)}`,
    `login:{login}:fail:ip:${ip}`,
    `login:{login}:fail:acct:${account}`,
    `login:{login}:known-ips:${account}`,
  ];
};

// KEYS: account+ip, ip, account, known ips. ARGV: window ms, ip digest.
// Returns {pair, pairTtl, ip, ipTtl, account, accountTtl, known}.
const COUNT_ATTEMPT = `
local out = {}
for i = 1, 3 do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  out[#out + 1] = n
  out[#out + 1] = redis.call('PTTL', KEYS[i])
end
out[#out + 1] = redis.call('SISMEMBER', KEYS[4], ARGV[2])
return out
`;

// KEYS: account+ip, ip, account, known ips. ARGV: ip digest, known ttl ms.
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
return 1
`;

export function createLoginThrottle(redis: Redis, options: LoginThrottleOptions): LoginThrottle {
  const knownMs = (options.knownIpDays ?? 30) * 86_400_000;
  return {
    async attempt(email, ip) {
      const [pair, pairTtl, perIp, ipTtl, account, accountTtl, known] = (await redis.eval(
        COUNT_ATTEMPT,
        4,
        ...keysOf(email, ip),
        options.windowMs,
        digest(ipGroup(ip)),
      )) as number[];
      const waits: number[] = [];
      if (pair! > options.maxFailuresPerAccountIp) waits.push(pairTtl!);
      if (perIp! > options.maxFailuresPerIp) waits.push(ipTtl!);
      if (account! > options.maxFailuresPerAccount && known !== 1) waits.push(accountTtl!);
      if (waits.length === 0) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    },
    async succeeded(email, ip) {
      await redis.eval(SUCCEEDED, 4, ...keysOf(email, ip), digest(ipGroup(ip)), knownMs);
    },
  };
}

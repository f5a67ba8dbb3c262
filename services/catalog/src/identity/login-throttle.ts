import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Login throttling in Redis, per account and per client IP, over a fixed window. Every attempt
 * counts up front (atomically, so a burst cannot slip more guesses past the limit than it
 * allows); a successful login clears its account's count and gives its IP attempt back.
 */
export interface LoginThrottle {
  /** Counts an attempt: `allowed: false` with the seconds to wait once a limit is passed. */
  attempt(email: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  succeeded(email: string, ip: string): Promise<void>;
}

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

// Accounts are keyed by a digest of the email: no addresses in Redis.
const accountKey = (email: string) => `login:fail:acct:${createHash("sha256").update(email.toLowerCase()).digest("base64url")}`;
const ipKey = (ip: string) => `login:fail:ip:${ip}`;

// KEYS: account, ip. ARGV: window ms. Returns {accountCount, accountTtl, ipCount, ipTtl}.
const COUNT_ATTEMPT = `
local a = redis.call('INCR', KEYS[1])
if a == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local i = redis.call('INCR', KEYS[2])
if i == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {a, redis.call('PTTL', KEYS[1]), i, redis.call('PTTL', KEYS[2])}
`;

// KEYS: account, ip. Forget the account's failures; hand the IP its attempt back.
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

export function createLoginThrottle(redis: Redis, options: LoginThrottleOptions): LoginThrottle {
  return {
    async attempt(email, ip) {
      const [account, accountTtl, perIp, ipTtl] = (await redis.eval(COUNT_ATTEMPT, 2, accountKey(email), ipKey(ip), options.windowMs)) as number[];
      const waits: number[] = [];
      if (account! > options.maxFailuresPerAccount) waits.push(accountTtl!);
      if (perIp! > options.maxFailuresPerIp) waits.push(ipTtl!);
      if (waits.length === 0) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    },
    async succeeded(email, ip) {
      await redis.eval(SUCCEEDED, 2, accountKey(email), ipKey(ip));
    },
  };
}

import { createHash } from "node:crypto";
import { ipGroup } from "@rush/service";
import type { Redis } from "ioredis";

// Digests keep addresses out of Redis; the `{mail}` tag keeps a request's keys in one Cluster slot.
const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

export interface MailLimitOptions {
  /** E-mails one address may be sent per window (more are silently not sent: the answer stays the same). */
  perAddress: number;
  /** Requests one client IP (IPv6: its /64) may make per window, whatever addresses they name. */
  perIp: number;
  windowMs: number;
}

/**
 * Fixed-window counters for the e-mails anyone can trigger (password reset, verification
 * resend): a flood from one IP is refused with 429, and one inbox gets a few messages an
 * hour however many IPs ask — without telling the asker whether the address has an account.
 */
export function createMailLimits(redis: Redis, options: MailLimitOptions) {
  const count = async (key: string) => {
    const [[, n]] = (await redis.multi().incr(key).pexpire(key, options.windowMs, "NX").exec()) as [[null, number], unknown];
    return n;
  };
  return {
    /** `retryAfterSeconds` when this IP asked too often. */
    async ip(kind: string, address: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
      const n = await count(`{mail}:${kind}:ip:${digest(ipGroup(address))}`);
      return n <= options.perIp ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil(options.windowMs / 1000) };
    },
    /** Whether another e-mail may go to this address in this window. */
    async address(kind: string, email: string): Promise<boolean> {
      return (await count(`{mail}:${kind}:to:${digest(email.toLowerCase())}`)) <= options.perAddress;
    },
  };
}
export type MailLimits = ReturnType<typeof createMailLimits>;

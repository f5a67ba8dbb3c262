import { availableParallelism } from "node:os";
import { DEFAULT_PARTITIONS } from "@rush/contracts";
import { BaseConfig, DEV_JWT_SECRET, DEV_URLS, devDefaultsAllowed, loadConfig, refuseDevDefaults, trustedProxyProblem } from "@rush/service";
import { z } from "zod";

/** Shared with the gate, so tokens signed here verify there. Only in development and test. */
export { DEV_JWT_SECRET };
/** Seals two-factor secrets at rest; published here, so development and test only. */
export const DEV_TWO_FACTOR_KEY = "rush-dev-two-factor-key-change-me";
export const DEV_ADMIN = { email: "admin@example.com", password: "admin-dev-password" } as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const CatalogEnv = BaseConfig.extend({
  PORT: int(1, 65535).default(8105),
  JWT_SECRET: z.string().min(16).optional(),
  /** Seals TOTP secrets at rest (AES-256-GCM, key derived by HKDF). Its own key: rotating JWT_SECRET must not void every enrolment. */
  TWO_FACTOR_KEY: z.string().min(32).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** Logical seat partitions: must match the ticket workers'. */
  PARTITIONS: int(1, 4096).default(DEFAULT_PARTITIONS),
  /** How long `publish` waits for every area to load before answering 504. */
  PUBLISH_TIMEOUT_MS: int(1000, 600_000).default(120_000),
  /** How far a payment in progress may stretch a hold past its TTL. */
  MAX_HOLD_EXTENSION_MS: int(0, 3_600_000).default(600_000),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  /** scrypt cost: N = 2^SCRYPT_LOG_N (r = 8, p = 1). 15 takes ~50 ms and 32 MiB per hash. */
  SCRYPT_LOG_N: int(10, 20).default(15),
  /** Hashing threads; one core stays for the event loop. */
  PASSWORD_HASH_THREADS: int(1, 64).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  /** Failed logins to one account from one client IP per window: that source stops, the owner elsewhere does not. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: int(1, 10_000).default(10),
  /** Sign-ups and logins whose hash would wait longer than this are answered 503 + Retry-After at once. */
  PASSWORD_WAIT_BUDGET_MS: int(100, 60_000).default(3_000),
  LOGIN_MAX_FAILURES_PER_IP: int(1, 1_000_000).default(100),
  /** Failed logins to one account from anywhere per window; past it only IPs the account logged in from before may try. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1_000_000).default(100),
  /** How long a successful login's IP stays known to its account. */
  LOGIN_KNOWN_IP_DAYS: int(1, 365).default(30),
  LOGIN_THROTTLE_WINDOW_SECONDS: int(1, 86_400).default(900),
  /** How long the link in a sign-up verification e-mail works. */
  EMAIL_VERIFY_TTL_HOURS: int(1, 24 * 30).default(48),
  /** How long a password-reset link works (once). */
  PASSWORD_RESET_TTL_MINUTES: int(5, 24 * 60).default(60),
  /** Account e-mails (reset, verification resend) one address gets per window; more are not sent, the answer stays 202. */
  MAIL_MAX_PER_ADDRESS: int(1, 1_000).default(3),
  /** Such requests one client IP may make per window before 429. */
  MAIL_MAX_PER_IP: int(1, 1_000_000).default(20),
  MAIL_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(3_600),
  /** Peers whose `X-Forwarded-For` is believed (the gate); comma-separated addresses or CIDR ranges. */
  TRUSTED_PROXIES: z.string().default("127.0.0.1,::1,::ffff:127.0.0.1"),
});

const splitList = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** The catalog's configuration, production rules applied and development defaults filled in. */
export const CatalogConfig = CatalogEnv.superRefine((env, ctx) => {
  for (const entry of splitList(env.TRUSTED_PROXIES)) {
    const problem = trustedProxyProblem(entry);
    if (problem) ctx.addIssue({ code: "custom", path: ["TRUSTED_PROXIES"], message: problem });
  }
  refuseDevDefaults(ctx, env, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET, TWO_FACTOR_KEY: DEV_TWO_FACTOR_KEY, ADMIN_EMAIL: DEV_ADMIN.email, ADMIN_PASSWORD: DEV_ADMIN.password });
  if (!devDefaultsAllowed(env) && env.JWT_SECRET !== undefined && env.JWT_SECRET.length < 32) {
    ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "at least 32 characters outside development" });
  }
}).transform(({ JWT_SECRET, TWO_FACTOR_KEY, ADMIN_EMAIL, ADMIN_PASSWORD, TRUSTED_PROXIES, ...rest }) => ({
  ...rest,
  JWT_SECRET: JWT_SECRET ?? DEV_JWT_SECRET,
  TWO_FACTOR_KEY: TWO_FACTOR_KEY ?? DEV_TWO_FACTOR_KEY,
  ADMIN_EMAIL: (ADMIN_EMAIL ?? DEV_ADMIN.email).toLowerCase(),
  ADMIN_PASSWORD: ADMIN_PASSWORD ?? DEV_ADMIN.password,
  TRUSTED_PROXIES: splitList(TRUSTED_PROXIES),
}));
export type CatalogConfig = z.output<typeof CatalogConfig>;

/** Reads the environment once, at boot; throws a `ConfigError` naming every bad key. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return loadConfig(CatalogConfig, env);
}

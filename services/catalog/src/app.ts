import type { Bus, SeatCommandClient } from "@rush/bus";
import type { Database } from "@rush/db";
import { type Check, type Logger, createServiceApp, installApi, trustedProxies } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { createAvailability } from "./catalog/availability.ts";
import { eventRoutes } from "./catalog/event-routes.ts";
import { organizerRoutes } from "./catalog/organizer-routes.ts";
import { createSales } from "./catalog/sales.ts";
import { createInventoryLoader } from "./catalog/inventory-loader.ts";
import { createCanceller } from "./catalog/cancel-session.ts";
import { createPublisher } from "./catalog/publish-session.ts";
import { sessionRoutes } from "./catalog/session-routes.ts";
import { venueRoutes } from "./catalog/venue-routes.ts";
import type { CatalogConfig } from "./config.ts";
import type { AccountMail } from "./identity/account-mail.ts";
import { authRoutes } from "./identity/auth-routes.ts";
import { emailRoutes, sendVerification } from "./identity/email-routes.ts";
import { createEmailTokens } from "./identity/email-tokens.ts";
import { createMailLimits } from "./identity/mail-limits.ts";
import { createLoginThrottle } from "./identity/login-throttle.ts";
import type { PasswordHasher } from "./identity/password-hasher.ts";
import { createRefreshTokenStore } from "./identity/refresh-tokens.ts";
import { twoFactorRoutes } from "./identity/two-factor-routes.ts";
import { createTwoFactorStore } from "./identity/two-factor.ts";
import { userRoutes } from "./identity/user-routes.ts";
import { createCatalogMetrics } from "./metrics.ts";

export interface CatalogDeps {
  config: CatalogConfig;
  logger: Logger;
  metrics: Registry;
  checks: Record<string, Check>;
  db: Database;
  redis: Redis;
  hasher: PasswordHasher;
  seatCommands: SeatCommandClient;
  /** Asks the mail worker for account e-mails (the USERS stream). */
  accountMail: AccountMail;
  /** Publishes `SessionCancelled` on the ORDERS stream. */
  bus: Bus;
  clock?: () => number;
}

/** A 100,000-seat map given seat by seat, with coordinates, is a few MiB of JSON. */
const BODY_LIMIT = 16 * 1024 * 1024;

/** The identity + catalog service, built from its dependencies; the caller listens and closes. */
export async function buildApp(deps: CatalogDeps): Promise<FastifyInstance> {
  const { config, db, redis } = deps;
  const clock = deps.clock ?? Date.now;
  const app = createServiceApp({ logger: deps.logger, metrics: deps.metrics, checks: deps.checks, bodyLimit: BODY_LIMIT });
  await installApi(app, { jwtSecret: config.JWT_SECRET, secondFactorRoles: config.SECOND_FACTOR_ROLES });
  const metrics = createCatalogMetrics(deps.metrics);
  const twoFactor = createTwoFactorStore(db, config.TWO_FACTOR_KEY);

  await app.register(authRoutes, {
    db,
    hasher: deps.hasher,
    throttle: createLoginThrottle(redis, {
      maxFailuresPerAccountIp: config.LOGIN_MAX_FAILURES_PER_ACCOUNT_IP,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      knownIpDays: config.LOGIN_KNOWN_IP_DAYS,
      windowMs: config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    }),
    refreshTokens: createRefreshTokenStore(db, { ttlMs: config.REFRESH_TOKEN_TTL_DAYS * 86_400_000, clock }),
    refreshCookieMaxAgeSeconds: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
    trustedProxies: trustedProxies(config.TRUSTED_PROXIES),
    twoFactor,
    metrics,
    clock,
    onRegistered: (user, log) => sendVerification(email, user, log),
  });
  const emailTokens = createEmailTokens(db, clock);
  const email = {
    tokens: emailTokens,
    mail: deps.accountMail,
    verifyTtlMs: config.EMAIL_VERIFY_TTL_HOURS * 3_600_000,
    resetTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
    clock,
  };
  await app.register(emailRoutes, {
    ...email,
    db,
    hasher: deps.hasher,
    limits: createMailLimits(redis, { perAddress: config.MAIL_MAX_PER_ADDRESS, perIp: config.MAIL_MAX_PER_IP, windowMs: config.MAIL_LIMIT_WINDOW_SECONDS * 1000 }),
    trustedProxies: trustedProxies(config.TRUSTED_PROXIES),
  });
  await app.register(twoFactorRoutes, { twoFactor, issuer: "Rush", clock });
  await app.register(userRoutes, { db, twoFactor });
  await app.register(venueRoutes, { db });
  await app.register(eventRoutes, { db });
  // The organizer's sales view asks often while it is open; figures at most half a second old.
  const sales = createSales({ db, redis, availability: createAvailability({ db, redis, clock, cacheMs: 500 }), clock });
  await app.register(organizerRoutes, { db, sales, clock });
  await app.register(sessionRoutes, {
    db,
    publish: createPublisher({
      db,
      loader: createInventoryLoader({ seatCommands: deps.seatCommands, timeoutMs: config.PUBLISH_TIMEOUT_MS, clock }),
      partitions: config.PARTITIONS,
      maxHoldExtensionMs: config.MAX_HOLD_EXTENSION_MS,
      clock,
    }),
    cancel: createCanceller({ db, bus: deps.bus, seatCommands: deps.seatCommands, timeoutMs: config.PUBLISH_TIMEOUT_MS, clock }),
    availability: createAvailability({ db, redis, clock }),
    metrics,
  });
  return app;
}

import type { Bus, SeatCommandClient } from "@rush/bus";
import { COMMAND_RESULT_TTL_MS } from "@rush/contracts";
import type { Db } from "@rush/db";
import {
  type Logger,
  createLogger,
  createMetrics,
  createMetricsApp,
  createServiceApp,
  devDefaultsAllowed,
  installApi,
  natsCheck,
  postgresCheck,
  redisCheck,
  type ServiceAppOptions,
  reachedOverTls,
  trustedProxies,
} from "@rush/service";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { DEV_OUTBOX_PATH, WEB_ASSETS_PREFIX, WEB_INDEX_HTML } from "@rush/web/server";
import { type Clock, systemClock } from "./clock.ts";
import { type GateConfig, trustProxyOf } from "./config.ts";
import type { GateContext } from "./context.ts";
import { createLiveHolds } from "./holds/live-holds.ts";
import { createGateMetrics } from "./metrics.ts";
import { createSeatCommands } from "./holds/seat-commands.ts";
import { ACCOUNT_ROUTES } from "./plugins/account-routes.ts";
import { DEV_OUTBOX_ROUTES } from "./plugins/dev-outbox-routes.ts";
import { socketUpgradeProxy } from "./plugins/socket-upgrade.ts";
import { upstreamProxy } from "./plugins/upstream-proxy.ts";
import {
  CATALOG_PUBLISH_ROUTES,
  CATALOG_ROUTES,
  ORDER_ROUTES,
  PAYMENT_ROUTES,
  SOCKET_POLLING_ROUTES,
} from "./plugins/upstream-routes.ts";
import { webApp } from "./plugins/web-app.ts";
import { seatMapPageData } from "./sessions/seat-map-page.ts";
import { clientIpGroupResolver, clientIpResolver } from "./plugins/client-ip.ts";
import { compression } from "./plugins/compression.ts";
import { docs } from "./plugins/docs.ts";
import { securityHeaders } from "./plugins/security-headers.ts";
import { holdLinger } from "./plugins/hold-linger.ts";
import { IDEMPOTENCY_TTL_MS, idempotency } from "./plugins/idempotency.ts";
import { rateLimits } from "./plugins/rate-limits.ts";
import { createCommandRoutes } from "./routes/commands.ts";
import { createHoldLifecycleRoutes } from "./routes/hold-lifecycle.ts";
import { createHoldRoutes } from "./routes/holds.ts";
import { createQueueRoutes } from "./routes/queue.ts";
import { createSeatRoutes } from "./routes/seats.ts";
import { createWaitlistRoutes } from "./routes/waitlist.ts";
import { createSessionSettingsStore } from "./sessions/session-settings.ts";
import { createAdmissionTokens } from "./waiting-room/admission-token.ts";
import { createWaitingRoom } from "./waiting-room/waiting-room.ts";

export interface GateDeps {
  config: GateConfig;
  bus: Bus;
  redis: Redis;
  db: Db;
  /** The seat command client (JetStream publish + reply wait). */
  seats: SeatCommandClient;
  clock?: Clock;
  logger?: Logger;
  metrics?: ServiceAppOptions["metrics"];
}

declare module "fastify" {
  interface FastifyInstance {
    /** The gate's internal server: `/metrics`, never on the public port. `main` listens on `METRICS_PORT`. */
    internal?: FastifyInstance;
  }
}

/** Builds the gate from its dependencies; does not listen. */
export async function buildApp(deps: GateDeps): Promise<FastifyInstance> {
  const { config, redis } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger("gate", config.LOG_LEVEL);
  const registry = deps.metrics ?? createMetrics("gate");
  const metrics = createGateMetrics(registry);
  const app = createServiceApp({
    logger,
    metrics: registry,
    checks: { nats: natsCheck(deps.bus), redis: redisCheck(redis), postgres: postgresCheck(deps.db.sql) },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // The public port shows no metrics: they name routes, outcomes and load to anyone.
    metricsRoute: false,
  });
  const internal = createMetricsApp(registry);
  app.decorate("internal", internal);
  app.addHook("onClose", async () => {
    await internal.close();
  });
  await installApi(app, { jwtSecret: config.JWT_SECRET, secondFactorRoles: config.SECOND_FACTOR_ROLES });

  const trust = trustProxyOf(config.TRUST_PROXY);
  const clientIp = clientIpResolver(trust);
  const limitKey = clientIpGroupResolver(clientIp);
  const proxies = typeof trust === "object" ? trustedProxies(trust) : undefined;
  securityHeaders(app, { viaTls: (request) => reachedOverTls(request, (peer) => (proxies ? proxies.has(peer) : trust !== false && trust !== 0)) });
  const ctx: GateContext = {
    config,
    redis,
    clock,
    clientIp: limitKey,
    metrics,
    sessions: createSessionSettingsStore(deps.db.db, { ttlMs: config.SESSION_CACHE_MS, now: clock.now }),
    seatCommands: createSeatCommands(deps.seats, redis, COMMAND_RESULT_TTL_MS),
    liveHolds: createLiveHolds(redis, config.MAX_LIVE_HOLDS_PER_BUYER),
    waitingRoom: createWaitingRoom(redis),
    admission: createAdmissionTokens(config.ADMISSION_SECRET, config.ADMISSION_TTL_SECONDS),
  };

  await app.register(holdLinger, {
    ms: config.HOLD_LINGER_MS,
    max: config.HOLD_LINGER_MAX,
    onRelease: (count) => metrics.holdLingerBatch.observe(count),
  });
  await compression(app);
  await app.register(docs);
  await app.register(rateLimits, {
    redis,
    enabled: config.RATE_LIMIT_ENABLED,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limits: config.RATE_LIMITS,
    clientIp: limitKey,
    onLimited: (rateClass, by) => metrics.rateLimited.inc({ class: rateClass, by }),
  });
  await app.register(idempotency, { redis, ttlMs: IDEMPOTENCY_TTL_MS });

  await app.register(createQueueRoutes, { ctx });
  await app.register(createSeatRoutes, { ctx });
  await app.register(createHoldRoutes, { ctx });
  await app.register(createHoldLifecycleRoutes, { ctx });
  await app.register(createCommandRoutes, { ctx });
  await app.register(createWaitlistRoutes, { ctx, seats: deps.seats });
  // What the gate does not answer itself goes, unchanged, to the service that owns it.
  const bodyLimits = { small: config.SMALL_BODY_LIMIT_BYTES, standard: config.BODY_LIMIT_BYTES, large: config.PROXY_BODY_LIMIT_BYTES };
  const proxy = { bodyLimits, clientIp };
  await app.register(upstreamProxy, { ...proxy, name: "catalog", baseUrl: config.CATALOG_URL, routes: CATALOG_ROUTES, timeoutMs: config.CATALOG_TIMEOUT_MS });
  await app.register(upstreamProxy, { ...proxy, name: "catalog", baseUrl: config.CATALOG_URL, routes: CATALOG_PUBLISH_ROUTES, timeoutMs: config.PUBLISH_TIMEOUT_MS });
  await app.register(upstreamProxy, { ...proxy, name: "catalog", baseUrl: config.CATALOG_URL, routes: ACCOUNT_ROUTES, timeoutMs: config.CATALOG_TIMEOUT_MS });
  await app.register(upstreamProxy, { ...proxy, name: "order", baseUrl: config.ORDER_URL, routes: ORDER_ROUTES, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  await app.register(upstreamProxy, { ...proxy, name: "payment", baseUrl: config.PAYMENT_URL, routes: PAYMENT_ROUTES, timeoutMs: config.UPSTREAM_TIMEOUT_MS, connections: config.PAYMENT_CONNECTIONS });
  await app.register(upstreamProxy, {
    ...proxy,
    name: "notification",
    baseUrl: config.NOTIFICATION_URL,
    routes: SOCKET_POLLING_ROUTES,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  // An upgrade request has the socket and headers the resolver reads.
  socketUpgradeProxy(app, { path: "/socket.io/", target: config.NOTIFICATION_URL, clientIp: (req) => clientIp(req as unknown as FastifyRequest) });
  // Development only: the e-mails the mail worker kept, on the app's origin and linked from the app.
  const devOutbox = devDefaultsAllowed(config) && config.MAIL_URL ? DEV_OUTBOX_PATH : undefined;
  if (devOutbox && config.MAIL_URL) {
    await app.register(upstreamProxy, { ...proxy, name: "mail", baseUrl: config.MAIL_URL, routes: DEV_OUTBOX_ROUTES, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  }
  if (config.WEB_DIST) {
    const pageData = config.PAGE_DATA_TIMEOUT_MS > 0 ? seatMapPageData(app, { timeoutMs: config.PAGE_DATA_TIMEOUT_MS }) : undefined;
    await app.register(webApp, { root: config.WEB_DIST, assetsPrefix: WEB_ASSETS_PREFIX, index: WEB_INDEX_HTML, ...(pageData ? { pageData } : {}), ...(devOutbox ? { devOutbox } : {}) });
  }
  return app;
}

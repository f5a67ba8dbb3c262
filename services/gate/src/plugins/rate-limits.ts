import fastifyRateLimit from "@fastify/rate-limit";
import { HttpProblem } from "@rush/service";
import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import type { RateClass } from "../config.ts";
import { RATE_LIMIT_PREFIX, limitKeys, slidingWindowStore } from "./sliding-window-store.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Which limits apply: per IP before anything else, per user once authenticated. */
    rateClass?: RateClass;
    /**
     * `"route"`: the handler counts the per-user limit itself, in the one Redis script that does
     * its other per-user work (`app.userLimit`); the per-IP limit stays in `onRequest`.
     */
    userLimitBy?: "route";
  }
  interface FastifyInstance {
    /** A rate class's per-user limit, for routes with `userLimitBy: "route"`; undefined when limits are off. */
    userLimit(rateClass: RateClass): UserLimit | undefined;
  }
}

/** What a route needs to count a per-user limit in its own script (`SLIDING_WINDOW_LUA`). */
export interface UserLimit {
  /** The Redis key base for this user (carries the user's hash tag). */
  key(userId: string): string;
  max: number;
  windowMs: number;
  /** Given the script's count and ttl: sets the RateLimit-* headers, throws 429 when exceeded. */
  settle(request: FastifyRequest, reply: FastifyReply, current: number, ttlMs: number): void;
  /**
   * Counts the request against the limit on its own (one script), as the `preHandler` would, for
   * a route that runs it side by side with its other Redis work: one round trip instead of two.
   */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export interface RateLimitsOptions {
  redis: Redis;
  enabled: boolean;
  windowMs: number;
  limits: Record<RateClass, { user: number; ip: number }>;
  clientIp: (request: FastifyRequest) => string;
  /** Told of every 429 (for metrics). */
  onLimited?: (rateClass: RateClass, by: "ip" | "user") => void;
}

type Limiter = ReturnType<import("fastify").FastifyInstance["createRateLimit"]>;
/** The part of `@fastify/rate-limit`'s outcome the headers and the 429 need. */
type Outcome = { max: number; remaining: number; ttlInSeconds: number; isExceeded: boolean };

const REMAINING = Symbol("rateLimitRemaining");
type Tracked = FastifyRequest & { [REMAINING]?: number };

/** Sets the IETF draft `RateLimit-*` headers for whichever limit is closest to running out. */
function report(request: Tracked, reply: FastifyReply, outcome: Outcome, windowMs: number): void {
  const remaining = outcome.remaining;
  if (request[REMAINING] !== undefined && request[REMAINING] < remaining) return;
  request[REMAINING] = remaining;
  reply.header("ratelimit-limit", outcome.max);
  reply.header("ratelimit-remaining", remaining);
  reply.header("ratelimit-reset", outcome.ttlInSeconds);
  reply.header("ratelimit-policy", `${outcome.max};w=${Math.ceil(windowMs / 1000)}`);
}

/**
 * Redis rate limits per route class (`config.rateClass`), per IP and per user, through
 * `@fastify/rate-limit` with a sliding-window store. Two limits per route need two checks,
 * which the plugin's one-hook-per-route mode cannot do, so routes get `createRateLimit`
 * checks: IP in `onRequest` (before the body is even read), user in `preHandler` (after auth).
 * Redis trouble lets requests through (the limit is a guard, not the product); 429 otherwise,
 * with `Retry-After`. A route with `userLimitBy: "route"` counts its user limit in its own script
 * (one round trip for all its per-user work) through `app.userLimit(rateClass)`.
 */
export const rateLimits = fp<RateLimitsOptions>(
  async (app, options) => {
    if (!options.enabled) {
      app.decorate("userLimit", () => undefined);
      return;
    }
    await app.register(fastifyRateLimit, {
      global: false,
      store: slidingWindowStore(options.redis),
      timeWindow: options.windowMs,
      skipOnError: true,
    });

    /** Headers for the limit closest to running out; 429 when this one is exceeded. */
    const settle = (outcome: Outcome, request: FastifyRequest, reply: FastifyReply, rateClass: RateClass, by: "ip" | "user") => {
      report(request as Tracked, reply, outcome, options.windowMs);
      if (!outcome.isExceeded) return;
      options.onLimited?.(rateClass, by);
      const what = by === "ip" ? "from this address" : "from this account";
      const retryAfter = Math.max(1, outcome.ttlInSeconds);
      throw new HttpProblem(
        429,
        "rate_limited",
        "Too Many Requests",
        `more than ${outcome.max} requests in ${options.windowMs / 1000} s ${what}; retry in ${retryAfter} s`,
        { limit: outcome.max, retryAfter },
        { "retry-after": String(retryAfter), "ratelimit-remaining": "0" },
      );
    };
    const check = async (limiter: Limiter, request: FastifyRequest, reply: FastifyReply, rateClass: RateClass, by: "ip" | "user") => {
      const outcome = await limiter(request);
      if (!outcome.isAllowed) settle(outcome, request, reply, rateClass, by);
    };

    const hooks = new Map<RateClass, { ip: onRequestHookHandler; user: preHandlerHookHandler }>();
    const userLimits = new Map<RateClass, UserLimit>();
    for (const [rateClass, limit] of Object.entries(options.limits) as [RateClass, { user: number; ip: number }][]) {
      const byIp = app.createRateLimit({ max: limit.ip, timeWindow: options.windowMs, keyGenerator: (r) => limitKeys.ip(rateClass, options.clientIp(r)) });
      const byUser = app.createRateLimit({ max: limit.user, timeWindow: options.windowMs, keyGenerator: (r) => limitKeys.user(rateClass, r.principal?.sub ?? "") });
      const userLimit: UserLimit = {
        key: (userId) => `${RATE_LIMIT_PREFIX}${limitKeys.user(rateClass, userId)}`,
        max: limit.user,
        windowMs: options.windowMs,
        settle(request, reply, current, ttlMs) {
          const outcome = { max: limit.user, remaining: Math.max(0, limit.user - current), ttlInSeconds: Math.ceil(ttlMs / 1000), isExceeded: current > limit.user };
          settle(outcome, request, reply, rateClass, "user");
        },
        async check(request, reply) {
          if (request.principal) await check(byUser, request, reply, rateClass, "user");
        },
      };
      userLimits.set(rateClass, userLimit);
      hooks.set(rateClass, {
        ip: async (request, reply) => check(byIp, request, reply, rateClass, "ip"),
        // The same count a route with `userLimitBy: "route"` runs itself.
        user: (request, reply) => userLimit.check(request, reply),
      });
    }

    app.addHook("onRoute", (route) => {
      const rateClass = route.config?.rateClass;
      if (!rateClass) return;
      const hook = hooks.get(rateClass);
      if (!hook) throw new Error(`unknown rate class ${rateClass} on ${route.method} ${route.url}`);
      route.onRequest = [hook.ip, ...(route.onRequest ? [route.onRequest].flat() : [])];
      if (route.config?.userLimitBy === "route") return;
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), hook.user];
    });

    app.decorate("userLimit", (rateClass: RateClass) => userLimits.get(rateClass));
  },
  { name: "rush-rate-limits", dependencies: ["rush-auth"] },
);

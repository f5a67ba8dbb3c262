import fastifyRateLimit from "@fastify/rate-limit";
import { HttpProblem } from "@rush/service";
import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import type { RateClass } from "../config.ts";
import { slidingWindowStore } from "./sliding-window-store.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Which limits apply: per IP before anything else, per user once authenticated. */
    rateClass?: RateClass;
  }
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
type Outcome = Awaited<ReturnType<Limiter>>;

const REMAINING = Symbol("rateLimitRemaining");
type Tracked = FastifyRequest & { [REMAINING]?: number };

/** Sets the IETF draft `RateLimit-*` headers for whichever limit is closest to running out. */
function report(request: Tracked, reply: FastifyReply, outcome: Outcome & { isAllowed: false }, windowMs: number): void {
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
 * with `Retry-After`.
 */
export const rateLimits = fp<RateLimitsOptions>(
  async (app, options) => {
    if (!options.enabled) return;
    await app.register(fastifyRateLimit, {
      global: false,
      store: slidingWindowStore(options.redis),
      timeWindow: options.windowMs,
      skipOnError: true,
    });

    const check = async (limiter: Limiter, request: FastifyRequest, reply: FastifyReply, rateClass: RateClass, by: "ip" | "user") => {
      const outcome = await limiter(request);
      if (outcome.isAllowed) return;
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

    const hooks = new Map<RateClass, { ip: onRequestHookHandler; user: preHandlerHookHandler }>();
    for (const [rateClass, limit] of Object.entries(options.limits) as [RateClass, { user: number; ip: number }][]) {
      const byIp = app.createRateLimit({ max: limit.ip, timeWindow: options.windowMs, keyGenerator: (r) => `${rateClass}:ip:${options.clientIp(r)}` });
      const byUser = app.createRateLimit({ max: limit.user, timeWindow: options.windowMs, keyGenerator: (r) => `${rateClass}:u:${r.principal?.sub}` });
      hooks.set(rateClass, {
        ip: async (request, reply) => check(byIp, request, reply, rateClass, "ip"),
        user: async (request, reply) => {
          if (request.principal) await check(byUser, request, reply, rateClass, "user");
        },
      });
    }

    app.addHook("onRoute", (route) => {
      const rateClass = route.config?.rateClass;
      if (!rateClass) return;
      const hook = hooks.get(rateClass);
      if (!hook) throw new Error(`unknown rate class ${rateClass} on ${route.method} ${route.url}`);
      route.onRequest = [hook.ip, ...(route.onRequest ? [route.onRequest].flat() : [])];
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), hook.user];
    });
  },
  { name: "rush-rate-limits", dependencies: ["rush-auth"] },
);

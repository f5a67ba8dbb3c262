import fastifyReplyFrom from "@fastify/reply-from";
import { HttpProblem, sendHttpProblem } from "@rush/service";
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RawServerBase, RouteGenericInterface } from "fastify";
import type { RateClass } from "../config.ts";
import { problems } from "../problems.ts";
import type { ZodType } from "zod";
import { endToEndHeaders } from "./hop-by-hop.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A forwarded route's request and answers, for `/docs` only. */
    docs?: RouteDocs;
  }
}

/** Which body limit a proxied route takes: `small` for unauthenticated routes, `large` for venue uploads. */
export type BodySize = "small" | "standard" | "large";

export interface ProxiedRoute {
  url: string;
  methods: HTTPMethods[];
  rateClass: RateClass;
  summary: string;
  /** `standard` unless said otherwise. */
  body?: BodySize;
  /** What `/docs` shows the route takes and answers (the service it goes to validates; the gate does not). */
  docs?: RouteDocs;
}

/** Zod schemas from `@rush/contracts`, for the OpenAPI document only (see `docs.ts`). */
export interface RouteDocs {
  params?: ZodType;
  querystring?: ZodType;
  body?: ZodType;
  response?: Record<number, ZodType>;
}

export interface UpstreamProxyOptions {
  /** Names the upstream in problems, logs and the OpenAPI tags. */
  name: string;
  baseUrl: string;
  routes: readonly ProxiedRoute[];
  timeoutMs: number;
  /** Largest body forwarded, per route size: only venue seat maps are large. */
  bodyLimits: Record<BodySize, number>;
  clientIp: (request: FastifyRequest) => string;
  /** Requests in flight to this upstream at once (128 unless said); the rest queue in the gate. */
  connections?: number;
}

/**
 * Forwards routes to the service that owns them with `@fastify/reply-from`: bodies pass through
 * as raw bytes (this plugin's own content-type parser, so signed webhook payloads arrive as
 * sent), answers come back as the service wrote them, and a service that is down or slow
 * becomes 503/504 problem+json. Encapsulated: register it once per upstream.
 */
export async function upstreamProxy(app: FastifyInstance, options: UpstreamProxyOptions): Promise<void> {
  await app.register(fastifyReplyFrom, {
    base: options.baseUrl,
    undici: { connections: options.connections ?? 128, pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
    maxRetriesOn503: 0,
    // Two info lines per proxied request (6,700 in a 2,000-buyer run), each a JSON line the gate
    // writes on the buyers' cores; metrics count the requests instead, failures still log.
    disableRequestLogging: true,
  });
  // Read as raw bytes (within a limit) and sent on untouched. Not streamed: a streamed body that
  // the upstream never reads would tear down the client's connection instead of letting us answer 503.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: options.bodyLimits.standard }, (_request, body, done) => done(null, body));

  const onError = (reply: FastifyReply<RouteGenericInterface, RawServerBase>, { error }: { error: Error }) => {
    reply.request.log.warn({ err: error, upstream: options.name }, "proxy failed");
    const problem =
      (error as { statusCode?: number }).statusCode === 504
        ? new HttpProblem(504, "upstream_timeout", "Gateway Timeout", `the ${options.name} service did not answer in time`)
        : problems.upstreamUnavailable(`the ${options.name} service is unavailable`);
    sendHttpProblem(reply as FastifyReply, problem);
  };

  const forward = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.from(request.url, {
      ...(Buffer.isBuffer(request.body)
        ? { body: request.body, contentType: request.headers["content-type"] ?? "application/octet-stream" }
        : {}),
      onError,
      retriesCount: 0,
      rewriteRequestHeaders: (req, headers) => ({
        ...endToEndHeaders(headers),
        "x-correlation-id": req.id,
        "x-forwarded-for": options.clientIp(req as FastifyRequest),
      }),
    });

  for (const route of options.routes) {
    app.route({
      method: route.methods,
      url: route.url,
      schema: { tags: [`${options.name} (proxied)`], summary: route.summary },
      config: { rateClass: route.rateClass, ...(route.docs ? { docs: route.docs } : {}) },
      bodyLimit: options.bodyLimits[route.body ?? "standard"],
      handler: forward,
    });
  }
}

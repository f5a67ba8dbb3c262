import fastifyReplyFrom from "@fastify/reply-from";
import { HttpProblem } from "@rush/service";
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RawServerBase, RouteGenericInterface } from "fastify";
import type { RateClass } from "../config.ts";
import { sendHttpProblem } from "@rush/service";
import { problems } from "../problems.ts";

export interface CatalogProxyOptions {
  catalogUrl: string;
  timeoutMs: number;
  /** Largest body forwarded (venue seat maps can be large). */
  bodyLimit: number;
  clientIp: (request: FastifyRequest) => string;
}

// HEAD comes with GET (Fastify exposes it).
const READS: HTTPMethods[] = ["GET"];
const WRITES: HTTPMethods[] = ["POST", "PUT", "PATCH", "DELETE"];

/** What the gate forwards to the catalog service (identity + catalog), unchanged. */
const ROUTES: { url: string; methods: HTTPMethods[]; rateClass: RateClass; summary: string }[] = [
  { url: "/v1/auth/*", methods: ["POST"], rateClass: "auth", summary: "Identity: register, login, refresh, logout" },
  { url: "/v1/me", methods: READS, rateClass: "read", summary: "The signed-in user" },
  { url: "/v1/users", methods: READS, rateClass: "read", summary: "Users (admin)" },
  { url: "/v1/users", methods: ["POST"], rateClass: "write", summary: "Users (admin)" },
  { url: "/v1/users/*", methods: READS, rateClass: "read", summary: "Users" },
  { url: "/v1/users/*", methods: WRITES, rateClass: "write", summary: "Users" },
  { url: "/v1/venues", methods: READS, rateClass: "read", summary: "List venues" },
  { url: "/v1/venues", methods: ["POST"], rateClass: "write", summary: "Create a venue with its seat map" },
  { url: "/v1/venues/*", methods: READS, rateClass: "read", summary: "Venues" },
  { url: "/v1/venues/*", methods: WRITES, rateClass: "write", summary: "Venues" },
  { url: "/v1/events", methods: READS, rateClass: "read", summary: "Search events" },
  { url: "/v1/events", methods: ["POST"], rateClass: "write", summary: "Create an event" },
  { url: "/v1/events/*", methods: READS, rateClass: "read", summary: "Events and their sessions" },
  { url: "/v1/events/*", methods: WRITES, rateClass: "write", summary: "Events and their sessions" },
  { url: "/v1/sessions/:id", methods: READS, rateClass: "read", summary: "A session" },
  { url: "/v1/sessions/:id/publish", methods: ["POST"], rateClass: "write", summary: "Publish a session: loads its inventory into the seat engine" },
  { url: "/v1/sessions/:id/availability", methods: READS, rateClass: "read", summary: "Available seats per area and price category" },
];

const onError = (reply: FastifyReply<RouteGenericInterface, RawServerBase>, { error }: { error: Error }) => {
  reply.request.log.warn({ err: error }, "catalog proxy failed");
  const problem =
    (error as { statusCode?: number }).statusCode === 504
      ? new HttpProblem(504, "upstream_timeout", "Gateway Timeout", "the catalog service did not answer in time")
      : problems.upstreamUnavailable("the catalog service is unavailable");
  sendHttpProblem(reply as FastifyReply, problem);
};

/**
 * Forwards identity and catalog routes to the catalog service with `@fastify/reply-from`:
 * bodies pass through as raw bytes (this plugin's own content-type parser), answers come back
 * as the catalog wrote them, and a catalog that is down or slow becomes 503/504 problem+json.
 * Encapsulated: the raw-body parser applies to these routes only.
 */
export async function catalogProxy(app: FastifyInstance, options: CatalogProxyOptions): Promise<void> {
  await app.register(fastifyReplyFrom, {
    base: options.catalogUrl,
    undici: { connections: 128, pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
    maxRetriesOn503: 0,
  });
  // Bodies are read as raw bytes (within a limit) and sent on untouched. Not streamed: a
  // streamed body that the catalog never reads would tear down the client's connection
  // instead of letting us answer 503.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));

  const forward = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.from(request.url, {
      ...(Buffer.isBuffer(request.body)
        ? { body: request.body, contentType: request.headers["content-type"] ?? "application/octet-stream" }
        : {}),
      onError,
      retriesCount: 0,
      rewriteRequestHeaders: (req, headers) => ({
        ...headers,
        "x-correlation-id": req.id,
        "x-forwarded-for": options.clientIp(req as FastifyRequest),
      }),
    });

  for (const route of ROUTES) {
    app.route({
      method: route.methods,
      url: route.url,
      schema: { tags: ["catalog (proxied)"], summary: route.summary },
      config: { rateClass: route.rateClass },
      handler: forward,
    });
  }
}

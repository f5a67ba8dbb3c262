import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from "fastify";
import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import type { Registry } from "prom-client";
import type { Check } from "./checks.ts";
import type { Logger } from "./logger.ts";

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Registry;
  /** Named readiness checks: `/health/ready` is 200 only when all of them pass. */
  checks: Record<string, Check>;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Serve `/metrics` here (default); false when it goes on an internal port (`createMetricsApp`). */
  metricsRoute?: boolean;
}

/**
 * `/metrics` alone, for a service whose main port is public (the gate): listen on an internal
 * address that only Prometheus reaches.
 */
export function createMetricsApp(metrics: Registry): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", metrics.contentType);
    return metrics.metrics();
  });
  return app;
}

/**
 * The HTTP face every service shares: `/health/live`, `/health/ready`, `/metrics`, and a
 * correlation id per request (taken from `x-correlation-id` when a caller sends one).
 * Services register their own routes on the instance it returns.
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    requestIdHeader: "x-correlation-id",
    // Command ids (derived from Idempotency-Keys) run to 128 characters.
    routerOptions: { maxParamLength: 128 },
    // Errors Fastify raises before routing (a bad URL, an over-long parameter) are problems too.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as FastifyReply).code(status).type(PROBLEM_CONTENT_TYPE).send({
        type: "https://rush.example/problems/bad_request",
        title: "Bad Request",
        status,
        code: "bad_request",
        detail: error.message,
      });
    },
    genReqId: () => randomUUID(),
    // Per-request lines would flood the logs in a flash sale; metrics count requests instead.
    logController: new LogController({ disableRequestLogging: true }),
  });
  let shuttingDown = false;
  app.addHook("onClose", async () => {
    shuttingDown = true;
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-correlation-id", request.id);
  });

  app.get("/health/live", async () => ({ status: "ok" }));

  app.get("/health/ready", async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { status: "ok" }] as const;
        } catch (error) {
          return [name, { status: "down", error: (error as Error).message }] as const;
        }
      }),
    );
    const ready = !shuttingDown && results.every(([, r]) => r.status === "ok");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) });
  });

  if (options.metricsRoute !== false) {
    app.get("/metrics", async (_request, reply) => {
      reply.header("content-type", options.metrics.contentType);
      return options.metrics.metrics();
    });
  }
  return app;
}

import { PROBLEM_CONTENT_TYPE, type Problem } from "@rush/contracts";
import { ConflictError } from "@rush/db";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";

const TYPE_BASE = "https://rush.example/problems/";

/**
 * An expected failure a handler answers with: thrown, then mapped to RFC 9457 problem+json by
 * the single error handler. `extra` adds named fields (e.g. `unavailable` on a 409 hold).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable code, also the last segment of `type`. */
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = "HttpProblem";
  }
}

export function sendProblem(reply: FastifyReply, problem: Problem & Record<string, unknown>): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

const problem = (status: number, code: string, title: string, detail?: string, extra: Record<string, unknown> = {}) => ({
  type: `${TYPE_BASE}${code}`,
  title,
  status,
  code,
  ...(detail ? { detail } : {}),
  ...extra,
});

/** Maps every error to problem+json: 4xx for what the caller can fix, 5xx (logged) for bugs. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, "not_found", "Not Found", `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) {
      reply.headers(error.headers);
      return sendProblem(reply, problem(error.status, error.code, error.title, error.detail, error.extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "body";
      const errors = error.validation.map((issue) => ({
        path: [where, ...issue.instancePath.split("/").filter(Boolean)].join("."),
        message: issue.message ?? "invalid",
      }));
      return sendProblem(reply, problem(400, "validation", "Invalid request", `the ${where} does not match the contract`, { errors }));
    }
    if (error instanceof ConflictError) {
      return sendProblem(reply, problem(409, "conflict", "Conflict", error.message));
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return sendProblem(reply, problem(413, "body_too_large", "Payload Too Large", error.message));
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || error.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
      return sendProblem(reply, problem(415, "unsupported_media_type", "Unsupported Media Type", error.message));
    }
    if (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || (error.statusCode === 400 && error instanceof SyntaxError)) {
      return sendProblem(reply, problem(400, "malformed_json", "Malformed JSON", error.message));
    }
    if (error.statusCode === 429) {
      return sendProblem(reply, problem(429, "rate_limited", "Too Many Requests", error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problem(error.statusCode, "bad_request", "Bad Request", error.message));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, "response broke its contract");
    } else {
      request.log.error({ err: error }, "unhandled error");
    }
    return sendProblem(reply, problem(500, "internal", "Internal Server Error", "something went wrong on our side"));
  });
}

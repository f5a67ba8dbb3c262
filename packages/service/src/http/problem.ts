import { PROBLEM_CONTENT_TYPE, type Problem } from "@rush/contracts";
import { ConflictError } from "@rush/db";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { isDependencyUnavailable } from "./unavailable.ts";

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

/** The RFC 9457 body of an `HttpProblem`, for answers that carry one inside (a stored command result). */
export function problemBody(problem: HttpProblem): Problem & Record<string, unknown> {
  return {
    type: `${TYPE_BASE}${problem.code}`,
    title: problem.title,
    status: problem.status,
    code: problem.code,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...problem.extra,
  };
}

/** Answers `problem` as problem+json with its headers, bypassing the error handler. */
export function sendHttpProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  return sendProblem(reply.headers(problem.headers), problemBody(problem));
}

/** At most this many validation errors are listed (10,000 bad seat ids make one problem, not a megabyte). */
const MAX_LISTED_ERRORS = 50;

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** One `{path, message}` per offending field; an unknown key is named as its own path. */
function validationErrors(where: string, issues: readonly ValidationIssue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const base = [where, ...issue.instancePath.split("/").filter(Boolean)];
    const keys = issue.keyword === "unrecognized_keys" ? issue.params?.keys : undefined;
    if (Array.isArray(keys) && keys.length > 0) {
      return keys.map((key) => ({ path: [...base, String(key)].join("."), message: "unknown field" }));
    }
    return [{ path: base.join("."), message: issue.message ?? "invalid" }];
  });
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
      // A 5xx answered on purpose (an order not open yet, an engine slow to answer) is still a
      // failure to the buyer: logged with its code, so a run's 503s say which they were.
      if (error.status >= 500) request.log.warn({ code: error.code, detail: error.detail }, "answered with a 5xx problem");
      reply.headers(error.headers);
      return sendProblem(reply, problem(error.status, error.code, error.title, error.detail, error.extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "body";
      const all = validationErrors(where, error.validation);
      const errors = all.slice(0, MAX_LISTED_ERRORS);
      const more = all.length > errors.length ? { errorsOmitted: all.length - errors.length } : {};
      return sendProblem(reply, problem(400, "validation", "Invalid request", `the ${where} does not match the contract`, { errors, ...more }));
    }
    if (error instanceof ConflictError) {
      return sendProblem(reply, problem(409, "conflict", "Conflict", error.message));
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return sendProblem(reply, problem(413, "body_too_large", "Payload Too Large", error.message));
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return sendProblem(reply, problem(415, "unsupported_media_type", "Unsupported Media Type", error.message));
    }
    if (
      error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ||
      error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
      (error.statusCode === 400 && error instanceof SyntaxError)
    ) {
      return sendProblem(reply, problem(400, "malformed_json", "Malformed JSON", error.message));
    }
    if (error.statusCode === 429) {
      return sendProblem(reply, problem(429, "rate_limited", "Too Many Requests", error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problem(error.statusCode, "bad_request", "Bad Request", error.message));
    }
    if (isDependencyUnavailable(error)) {
      request.log.warn({ err: error }, "a dependency is unavailable");
      reply.header("retry-after", "2");
      return sendProblem(reply, problem(503, "unavailable", "Service Unavailable", "a dependency is unavailable; retry shortly"));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, "response broke its contract");
    } else {
      request.log.error({ err: error }, "unhandled error");
    }
    return sendProblem(reply, problem(500, "internal", "Internal Server Error", "something went wrong on our side"));
  });
}

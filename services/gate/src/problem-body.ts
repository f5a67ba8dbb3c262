import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import type { HttpProblem } from "@rush/service";
import type { FastifyReply } from "fastify";

// Same shape as @rush/service's error handler writes; it does not export its builder yet.
const TYPE_BASE = "https://rush.example/problems/";

/** The RFC 9457 body of a problem, for answers that carry one inside (a command's result) or bypass the error handler. */
export function problemBody(problem: HttpProblem) {
  return {
    type: `${TYPE_BASE}${problem.code}`,
    title: problem.title,
    status: problem.status,
    code: problem.code,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...problem.extra,
  };
}

export function sendHttpProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  return reply.code(problem.status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(problemBody(problem));
}

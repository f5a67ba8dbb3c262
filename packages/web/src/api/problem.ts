import type { Problem } from "@rush/contracts";

/** A non-2xx answer: the RFC 9457 problem the platform sent (or one made up for a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem & Record<string, unknown>;

  constructor(problem: Problem & Record<string, unknown>) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Builds an ApiError from any answer body: problem+json, other JSON, or nothing useful. */
export function problemOf(status: number, statusText: string, body: unknown): ApiError {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return new ApiError({
    ...fields,
    type: typeof fields.type === "string" ? fields.type : "about:blank",
    title: typeof fields.title === "string" ? fields.title : statusText || `HTTP ${status}`,
    status,
    ...(typeof fields.detail === "string" ? { detail: fields.detail } : {}),
    ...(typeof fields.code === "string" ? { code: fields.code } : {}),
  });
}

/** What to tell a person about a failure, in one sentence. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const { problem } = error;
    const fields = problem.errors?.map((e) => `${e.path || "request"}: ${e.message}`).join("; ");
    if (fields) return `${problem.title}: ${fields}`;
    if (error.status === 429) return "Too many requests right now: wait a few seconds and try again.";
    if (error.status >= 500) return `${problem.title}: the service is having trouble, please try again.${problem.detail ? ` (${problem.detail})` : ""}`;
    return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

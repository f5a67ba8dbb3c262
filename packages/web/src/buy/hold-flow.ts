import type { CommandAccepted, HoldCreated } from "@rush/contracts";
import { type HoldBody, getCommand, requestHold } from "../api/endpoints.ts";
import { ApiError, problemOf } from "../api/problem.ts";
import { randomId } from "./random-id.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait for a hold the seat engine has not answered yet (202) before giving up. */
const PENDING_LIMIT_MS = 30_000;

/**
 * Asks for a hold with a fresh `Idempotency-Key` and follows it to its outcome: 201 → the hold;
 * 202 → poll `GET /v1/commands/:id`; a network failure or 503 → the same request again with the
 * same key (safe: the gate answers a repeated key with the first request's outcome).
 */
export async function placeHold(
  sessionId: string,
  body: HoldBody,
  headers: () => Promise<Record<string, string>>,
  idempotencyKey: string = randomId(),
): Promise<HoldCreated> {
  let answer: Awaited<ReturnType<typeof requestHold>> | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      answer = await requestHold(sessionId, body, { "idempotency-key": idempotencyKey, ...(await headers()) });
      break;
    } catch (error) {
      const retriable = error instanceof ApiError && (error.status === 0 || error.status === 503 || error.code === "idempotency_in_flight");
      if (!retriable || attempt >= 3) throw error;
      await sleep(500 * 2 ** attempt);
    }
  }
  if (answer.status === 201) return answer.body as HoldCreated;
  const { commandId } = answer.body as CommandAccepted;
  const deadline = Date.now() + PENDING_LIMIT_MS;
  for (let wait = 200; Date.now() < deadline; wait = Math.min(wait * 1.5, 2000)) {
    await sleep(wait);
    const status = await getCommand(commandId);
    if (status.status !== "done" || !status.result) continue;
    if (status.result.statusCode === 201) return status.result.body as HoldCreated;
    throw problemOf(status.result.statusCode, "", status.result.body);
  }
  throw new ApiError({ type: "about:blank", title: "Still waiting", status: 504, code: "hold_pending", detail: "the seat engine has not answered yet; check your holds in a moment" });
}

/** The seat ids a 409 says someone else has, if that is what it says. */
export function unavailableSeats(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const list = error.problem.unavailable;
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === "string") : [];
}

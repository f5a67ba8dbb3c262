/**
 * How a consumer's failure is treated. `permanent`: the message can never be processed as it is
 * (it breaks a constraint, it does not match the schema), so it is parked in the dead-letter
 * stream at once instead of filling the consumer's pending window with retries. `transient`:
 * something it depends on is down or not there yet; it is retried with backoff.
 */
export type FailureKind = "permanent" | "transient";

/** Thrown by a handler that knows the message can never succeed: parked at once, not retried. */
export class PermanentFailure extends Error {
  readonly code = "BUS_PERMANENT_FAILURE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentFailure";
  }
}

/** The default: only a `PermanentFailure` (anywhere in the cause chain) is permanent. */
export function classifyFailure(error: unknown): FailureKind {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PermanentFailure) return "permanent";
  }
  return "transient";
}

/**
 * Redelivery delay after the `attempt`-th failed delivery: short at first, capped at 5 s so a
 * message whose dependency came back is handled within seconds, not minutes.
 */
export const retryDelayMs = (attempt: number): number => Math.min(5_000, 200 * 2 ** Math.max(0, attempt - 1));

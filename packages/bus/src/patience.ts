/** Tries of one JetStream step at start-up before its error is thrown (about 7.5 s of pauses between them). */
const ATTEMPTS = 6;

/**
 * Runs `step` again while JetStream does not answer (yet): on a cluster a replicated stream is
 * created by its Raft group and the API needs a meta leader, which on a loaded 2-core machine
 * outlasted the client's 5 s request timeout, and a service then failed its start ("catalog start
 * timed out on JetStream"). A timed-out create may still land: the step must look before it
 * creates. Any other error (a bad config, no permission) is thrown at once.
 */
export async function patiently<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUnanswered(error)) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** JetStream did not answer: a timeout, no responders, or "temporarily unavailable" while a cluster elects leaders. */
export function isUnanswered(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { status?: unknown }).status === 503) return true;
  const text = `${error.name} ${error.message} ${error.cause instanceof Error ? `${error.cause.name} ${error.cause.message}` : ""}`;
  return /timeout|timed out|no ?responders|503|temporarily unavailable/i.test(text);
}

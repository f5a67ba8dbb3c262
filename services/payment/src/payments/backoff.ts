/**
 * Per-payment backoff for the reconciler, pure: a payment whose step keeps failing (or keeps
 * waiting on its provider) is tried again later and later, so it neither hammers the provider
 * nor holds back the payments behind it.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export interface Attempts {
  failures: number;
  nextAt: number;
}

/** When to try again after `failures` unfinished attempts in a row (1, 2, 3, …): base·2^(n-1), capped. */
export function retryDelay(policy: BackoffPolicy, failures: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/** The attempts record after one more unfinished attempt at `now`. */
export function afterFailure(policy: BackoffPolicy, previous: Attempts | undefined, now: number): Attempts {
  const failures = (previous?.failures ?? 0) + 1;
  return { failures, nextAt: now + retryDelay(policy, failures) };
}

/** The ids still waiting out their backoff at `now`. */
export function backingOff(attempts: ReadonlyMap<string, Attempts>, now: number): string[] {
  return [...attempts].filter(([, a]) => a.nextAt > now).map(([id]) => id);
}

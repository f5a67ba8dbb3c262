/** A small HTTP client for the chaos run: JSON in and out, bounded in time, never throws on a status. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export function apiClient(base: string) {
  return async function api(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      let body: Record<string, unknown> = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { text };
      }
      return { status: res.status, body, headers: res.headers };
    } catch {
      // No answer at all (refused, reset, timed out): counted as status 0.
      return { status: 0, body: {}, headers: new Headers() };
    }
  };
}
export type Api = ReturnType<typeof apiClient>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries a call the server asked to retry (429/503 with Retry-After, or no answer) until `deadline`. */
export async function patiently(call: () => Promise<Answer>, deadline: number): Promise<Answer> {
  for (;;) {
    const answer = await call();
    if (![0, 429, 502, 503, 504].includes(answer.status) || Date.now() > deadline) return answer;
    await sleep(Math.min(5_000, 1000 * Number(answer.headers.get("retry-after") ?? 0.5)));
  }
}

import type { TokenPair } from "@rush/contracts";
import { type StoredTokens, needsRefresh, readTokens, refreshTokens } from "./auth-tokens.ts";
import { ApiError, problemOf } from "./problem.ts";

export interface RequestOptions {
  body?: unknown;
  /** `true`: must be signed in; `"optional"`: send the token when there is one. */
  auth?: boolean | "optional";
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A raw answer: status and parsed JSON body, for endpoints with several success codes. */
export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The refresh token is the HttpOnly cookie the browser sends by itself (same origin). */
async function exchange(): Promise<TokenPair | null> {
  const res = await fetch("/v1/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: "{}",
    credentials: "same-origin",
  });
  if (res.status === 401 || res.status === 400 || res.status === 403) return null;
  if (!res.ok) throw problemOf(res.status, res.statusText, await res.json().catch(() => null));
  return (await res.json()) as TokenPair;
}

/** A valid access token, refreshed first if it is about to expire; null when signed out. */
export async function accessToken(force = false): Promise<string | null> {
  const tokens = readTokens();
  if (!tokens) return null;
  if (!force && !needsRefresh(tokens)) return tokens.accessToken;
  const fresh: StoredTokens | null = await refreshTokens(exchange, tokens);
  return fresh?.accessToken ?? null;
}

const signInRequired = () =>
  new ApiError({ type: "about:blank", title: "Sign in required", status: 401, code: "unauthorized", detail: "sign in to continue" });

/**
 * Calls the gate: JSON in and out, problem+json turned into an ApiError, and one transparent
 * retry with a rotated token when the access token was refused.
 */
export async function send<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const attempt = async (forceRefresh: boolean) => {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.auth) {
      const token = await accessToken(forceRefresh);
      if (token) headers.authorization = `Bearer ${token}`;
      else if (options.auth === true) throw signInRequired();
    }
    return fetch(path, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  let res: Response;
  try {
    res = await attempt(false);
    if (res.status === 401 && options.auth && readTokens()) res = await attempt(true);
  } catch (error) {
    if (error instanceof ApiError || (error as Error).name === "AbortError") throw error;
    throw new ApiError({ type: "about:blank", title: "Network error", status: 0, code: "network", detail: "cannot reach Rush: check your connection" });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) throw problemOf(res.status, res.statusText, body);
  return { status: res.status, body: body as T, headers: res.headers };
}

export const get = async <T>(path: string, options?: RequestOptions) => (await send<T>("GET", path, options)).body;
export const post = async <T>(path: string, body?: unknown, options?: RequestOptions) =>
  (await send<T>("POST", path, { ...options, ...(body !== undefined ? { body } : {}) })).body;

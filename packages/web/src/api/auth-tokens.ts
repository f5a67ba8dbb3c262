import type { TokenPair } from "@rush/contracts";

/**
 * The signed-in state kept in localStorage, shared by every tab of the app: the short-lived
 * access token only. The 30-day refresh token never reaches script: the server keeps it in an
 * HttpOnly SameSite cookie that only `/v1/auth/*` sees (so an injected script cannot steal it).
 */
export interface StoredTokens {
  accessToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

const KEY = "rush.tokens";
/** Refresh this long before the access token runs out, so no request goes out with a dying one. */
const EARLY_MS = 30_000;

type Listener = (tokens: StoredTokens | null) => void;
const listeners = new Set<Listener>();

export function readTokens(): StoredTokens | null {
  try {
    const text = localStorage.getItem(KEY);
    if (!text) return null;
    const value = JSON.parse(text) as StoredTokens & { refreshToken?: unknown };
    if (typeof value.accessToken !== "string" || typeof value.expiresAt !== "number") return null;
    const tokens = { accessToken: value.accessToken, expiresAt: value.expiresAt };
    // Stored by an older version of the app: take the refresh token out of reach of scripts.
    if ("refreshToken" in value) localStorage.setItem(KEY, JSON.stringify(tokens));
    return tokens;
  } catch {
    return null;
  }
}

/** Keeps the access token; the pair's refresh token is deliberately dropped (the cookie has it). */
export function storeTokens(pair: Pick<TokenPair, "accessToken" | "expiresIn"> | null, now = Date.now()): StoredTokens | null {
  const tokens = pair ? { accessToken: pair.accessToken, expiresAt: now + pair.expiresIn * 1000 } : null;
  if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(tokens);
  return tokens;
}

/** Called on sign-in and sign-out, here and (through the storage event) in other tabs. */
export function onTokensChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    const tokens = readTokens();
    for (const listener of listeners) listener(tokens);
  });
}

export const needsRefresh = (tokens: StoredTokens, now = Date.now()): boolean => tokens.expiresAt - now < EARLY_MS;

let inFlight: Promise<StoredTokens | null> | null = null;

/**
 * Rotates the refresh cookie, once at a time across every tab: a refresh token presented twice
 * revokes its whole family (API.md), so two tabs must never spend the same one. Inside the lock
 * we look again: if another tab already rotated, its fresh access token is used as is.
 */
export function refreshTokens(exchange: () => Promise<TokenPair | null>, stale: StoredTokens): Promise<StoredTokens | null> {
  inFlight ??= (async () => {
    const run = async () => {
      const current = readTokens();
      if (!current) return null;
      if (current.accessToken !== stale.accessToken && !needsRefresh(current)) return current;
      return storeTokens(await exchange());
    };
    try {
      return navigator.locks ? await navigator.locks.request("rush.refresh", run) : await run();
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

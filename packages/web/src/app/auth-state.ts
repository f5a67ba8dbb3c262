import type { UserView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { type StoredTokens, onTokensChange, readTokens } from "../api/auth-tokens.ts";
import { me } from "../api/endpoints.ts";
import { ApiError } from "../api/problem.ts";

/** The user id (`sub`) inside an access token; the signature is the server's business. */
export function subjectOf(jwt: string): string | undefined {
  try {
    const payload = jwt.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Who is signed in: tokens present → the profile from `GET /v1/me`, shared by every component. */
export interface AuthState {
  tokens: StoredTokens | null;
  user: UserView | null;
  loading: boolean;
}

let state: AuthState = { tokens: readTokens(), user: null, loading: readTokens() !== null };
const listeners = new Set<(s: AuthState) => void>();

function set(next: AuthState): void {
  state = next;
  for (const listener of listeners) listener(state);
}

async function loadUser(): Promise<void> {
  const tokens = readTokens();
  if (!tokens) return set({ tokens: null, user: null, loading: false });
  set({ ...state, tokens, loading: true });
  try {
    set({ tokens: readTokens(), user: await me(), loading: false });
  } catch (error) {
    // A refused token was already dropped by the refresh; a network blip keeps the sign-in.
    set({ tokens: readTokens(), user: null, loading: false });
    if (!(error instanceof ApiError) || error.status !== 401) console.warn("could not load the profile", error);
  }
}

onTokensChange((tokens) => {
  // A rotation keeps the same user: only a sign-in, a sign-out or another account reloads the profile.
  if (tokens && state.user && subjectOf(tokens.accessToken) === state.user.id) return set({ ...state, tokens });
  void loadUser();
});
if (state.tokens) void loadUser();

export function useAuth(): AuthState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}

export const canOrganize = (user: UserView | null): boolean => Boolean(user?.roles.some((r) => r === "organizer" || r === "admin"));

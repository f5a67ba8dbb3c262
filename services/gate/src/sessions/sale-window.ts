import { problems } from "../problems.ts";
import type { SessionSettings, SessionSettingsStore } from "./session-settings.ts";

/** The session, if it exists (else 404). */
export async function sessionOr404(store: SessionSettingsStore, sessionId: string): Promise<SessionSettings> {
  const session = await store.get(sessionId);
  if (!session) throw problems.sessionNotFound(sessionId);
  return session;
}

/** Throws unless the session is published and not over: 409 `not_on_sale` / `sale_ended`. */
export function assertOpen(session: SessionSettings, now: number): void {
  if (session.status === "closed" || now >= session.saleEndsAt.getTime()) throw problems.saleEnded(session.saleEndsAt);
  if (session.status !== "on_sale") throw problems.notOnSale();
}

/** Throws unless seats can be held right now: also 403 `sale_not_started` before the window. */
export function assertSelling(session: SessionSettings, now: number): void {
  assertOpen(session, now);
  if (now < session.saleStartsAt.getTime()) throw problems.saleNotStarted(session.saleStartsAt);
}

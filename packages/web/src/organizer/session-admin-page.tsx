import type { SessionView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { getSession } from "../api/endpoints.ts";
import { onLinkClick } from "../app/router.ts";
import { useNow } from "../buy/panels.tsx";
import { SALE_BADGE, formatSessionStart, saleState, saleStateWords } from "../format/sale-state.ts";
import { EventNameForm } from "./event-name-form.tsx";
import { OrganizerOnly } from "./organizer-only.tsx";
import { SalesView } from "./sales-view.tsx";
import { SessionEditForm } from "./session-edit-form.tsx";
import { SessionOrders } from "./session-orders.tsx";
import { useLoad } from "./use-load.ts";

/** `/organizer/sessions/:id`: one date's sale state, what may still change, and its live sales. */
export function SessionAdminPage(props: { id: string }) {
  return (
    <OrganizerOnly next={`/organizer/sessions/${props.id}`}>
      <SessionAdmin id={props.id} />
    </OrganizerOnly>
  );
}

function SessionAdmin(props: { id: string }) {
  const loaded = useLoad(() => getSession(props.id), props.id);
  const [session, setSession] = useState<SessionView | null>(null);
  useEffect(() => setSession(loaded.value), [loaded.value]);
  const now = useNow();
  if (loaded.error) {
    return (
      <p class="notice error" role="alert">
        {loaded.error}
      </p>
    );
  }
  if (!session) return <p class="loading">Loading…</p>;
  const state = saleState(session, now);
  return (
    <div class="organizer">
      <p>
        <a href="/organizer" onClick={onLinkClick}>
          ← My events
        </a>
      </p>
      <h1>
        {session.eventName} · {formatSessionStart(session.startsAt)}
      </h1>
      <p data-testid="sale-state">
        <span class={`badge ${state}`}>{SALE_BADGE[state]}</span> {session.status === "draft" ? "Draft: publish it from the sale you created." : saleStateWords(state, session, now)}
        {session.status !== "draft" && (
          <>
            {" · "}
            <a href={`/sessions/${session.id}`} onClick={onLinkClick}>
              Buyers' seat map
            </a>
          </>
        )}
      </p>
      {session.status !== "draft" && <SalesView sessionId={session.id} />}
      {session.status !== "draft" && <SessionOrders session={session} onCancelled={setSession} />}
      <SessionEditForm key={session.id} session={session} now={now} onSaved={setSession} />
      <EventNameForm eventId={session.eventId} name={session.eventName} onSaved={(eventName) => setSession({ ...session, eventName })} />
    </div>
  );
}

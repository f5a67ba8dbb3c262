import type { EventView } from "@rush/contracts";
import { myEvents } from "../api/endpoints.ts";
import { onLinkClick } from "../app/router.ts";
import { useNow } from "../buy/panels.tsx";
import { SALE_BADGE, formatSessionStart, saleState, saleStateWords } from "../format/sale-state.ts";
import { OrganizerOnly } from "./organizer-only.tsx";
import { useLoad } from "./use-load.ts";

/** `/organizer`: my events, each with all its dates (drafts too) and where each sale stands. */
export function ConsolePage() {
  return (
    <OrganizerOnly next="/organizer">
      <MyEvents />
    </OrganizerOnly>
  );
}

function MyEvents() {
  const events = useLoad(myEvents, "mine");
  const now = useNow();
  return (
    <div class="organizer">
      <div class="console-head">
        <h1>My events</h1>
        <a class="button primary" href="/organizer/new" onClick={onLinkClick}>
          Create a sale
        </a>
      </div>
      {events.error && (
        <p class="notice error" role="alert">
          {events.error}
        </p>
      )}
      {!events.value && !events.error && <p class="loading">Loading…</p>}
      {events.value?.items.length === 0 && <p class="notice info">No events yet. Create a sale: a venue (or one you used before), an event, a date with prices.</p>}
      <ul class="console-events" data-testid="my-events">
        {events.value?.items.map((event) => (
          <EventCard key={event.id} event={event} now={now} />
        ))}
      </ul>
    </div>
  );
}

function EventCard(props: { event: EventView; now: number }) {
  const { event, now } = props;
  return (
    <li class="panel">
      <h2 class="panel-title">{event.name}</h2>
      {event.sessions.length === 0 && <p class="muted">No dates yet.</p>}
      <ul class="console-sessions">
        {event.sessions.map((s) => {
          const state = saleState(s, now);
          return (
            <li key={s.id} class="session-row">
              <a href={`/organizer/sessions/${s.id}`} onClick={onLinkClick} aria-label={`Manage ${event.name}, ${formatSessionStart(s.startsAt)}`}>
                {formatSessionStart(s.startsAt)}
              </a>
              <span class={`badge ${state}`}>{SALE_BADGE[state]}</span>
              <span class="muted">{s.status === "draft" ? "Draft: not published" : saleStateWords(state, s, now)}</span>
            </li>
          );
        })}
      </ul>
    </li>
  );
}

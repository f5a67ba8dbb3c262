import type { EventView, PublishResponse, SessionView, VenueSummary } from "@rush/contracts";
import { useState } from "preact/hooks";
import { publishSession } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { FormActions } from "../app/form-actions.tsx";
import { onLinkClick } from "../app/router.ts";
import { useNow } from "../buy/panels.tsx";
import { SALE_BADGE, saleState, saleStateWords } from "../format/sale-state.ts";
import { EventForm } from "./event-form.tsx";
import { OrganizerOnly } from "./organizer-only.tsx";
import { SessionForm } from "./session-form.tsx";
import { VenuePicker } from "./venue-picker.tsx";

/** `/organizer/new`: venue (a new one or one used before) → event → session with prices → publish. */
export function NewSalePage() {
  return (
    <OrganizerOnly next="/organizer/new">
      <NewSale />
    </OrganizerOnly>
  );
}

function NewSale() {
  const [venue, setVenue] = useState<VenueSummary | null>(null);
  const [event, setEvent] = useState<EventView | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [published, setPublished] = useState<PublishResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const now = useNow();
  const publish = async () => {
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      setPublished(await publishSession(session.id));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="organizer">
      <h1>Create and publish a sale</h1>
      {venue ? (
        <p class="notice success" data-testid="venue-created">
          Venue <strong>{venue.name}</strong>: {venue.capacity.toLocaleString("en")} seats in {venue.areas.length} areas.
        </p>
      ) : (
        <VenuePicker onPicked={setVenue} />
      )}
      {venue && (event ? <p class="notice success">Event <strong>{event.name}</strong> created.</p> : <EventForm venueId={venue.id} onCreated={setEvent} />)}
      {venue && event && (session ? <p class="notice success">Session created (draft).</p> : <SessionForm venue={venue} eventId={event.id} onCreated={setSession} />)}
      {session && (
        <section class="panel" aria-labelledby="publish-title">
          <h2 id="publish-title">4 · Publish</h2>
          {published ? (
            <p class="notice success" data-testid="published">
              Published: {published.inventory.seats.toLocaleString("en")} seats loaded.{" "}
              <span class={`badge ${saleState(published, now)}`}>{SALE_BADGE[saleState(published, now)]}</span>{" "}
              <span data-testid="published-state">{saleStateWords(saleState(published, now), published, now)}</span>.{" "}
              <a href={`/sessions/${session.id}`} onClick={onLinkClick}>
                Open the seat map
              </a>{" "}
              ·{" "}
              <a href={`/organizer/sessions/${session.id}`} onClick={onLinkClick}>
                Manage and watch sales
              </a>
            </p>
          ) : (
            <>
              <p>Publishing loads every seat into the seat engine; buyers can then hold seats once the sale opens.</p>
              <FormActions error={error} busy={busy} label="Publish" busyLabel="Publishing…" onClick={publish} />
            </>
          )}
        </section>
      )}
    </div>
  );
}

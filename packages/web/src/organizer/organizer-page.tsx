import type { EventView, PublishResponse, SessionView, VenueSummary } from "@rush/contracts";
import { useState } from "preact/hooks";
import { publishSession } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { canOrganize, useAuth } from "../app/auth-state.ts";
import { saleState, saleStateWords } from "../format/sale-state.ts";
import { onLinkClick } from "../app/router.ts";
import { EventForm } from "./event-form.tsx";
import { SessionForm } from "./session-form.tsx";
import { VenueForm } from "./venue-form.tsx";
import { FormActions } from "../app/form-actions.tsx";

/** `/organizer`: venue → event → session with prices → publish, one step after the other. */
export function OrganizerPage() {
  const auth = useAuth();
  const [venue, setVenue] = useState<VenueSummary | null>(null);
  const [event, setEvent] = useState<EventView | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [published, setPublished] = useState<PublishResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (auth.loading) return <p class="loading">Loading…</p>;
  if (!auth.user) {
    return (
      <p>
        <a href="/signin?next=%2Forganizer" onClick={onLinkClick}>
          Sign in
        </a>{" "}
        as an organizer to create events.
      </p>
    );
  }
  if (!canOrganize(auth.user)) return <p class="notice info">Creating events needs the organizer role: ask an admin to grant it to {auth.user.email}.</p>;

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
        <VenueForm onCreated={setVenue} />
      )}
      {venue && (event ? <p class="notice success">Event <strong>{event.name}</strong> created.</p> : <EventForm venueId={venue.id} onCreated={setEvent} />)}
      {venue && event && (session ? <p class="notice success">Session created (draft).</p> : <SessionForm venue={venue} eventId={event.id} onCreated={setSession} />)}
      {session && (
        <section class="panel" aria-labelledby="publish-title">
          <h2 id="publish-title">4 · Publish</h2>
          {published ? (
            <p class="notice success" data-testid="published">
              Published: {published.inventory.seats.toLocaleString("en")} seats loaded.{" "}
              {saleStateWords(saleState(published, Date.now()), published, Date.now())}.{" "}
              <a href={`/sessions/${session.id}`} onClick={onLinkClick}>
                Open the seat map
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

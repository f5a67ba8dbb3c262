import type { Availability, EventView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { getAvailability, getEvent } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { onLinkClick } from "../app/router.ts";
import { useNow } from "../buy/panels.tsx";
import { SALE_BADGE, formatSessionStart, saleState, saleStateWords } from "../format/sale-state.ts";

/** `/events/:id`: the event and its sessions, each with what is left and a way in. */
export function EventPage(props: { id: string }) {
  const [event, setEvent] = useState<EventView | null>(null);
  const [availability, setAvailability] = useState<Record<string, Availability>>({});
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    getEvent(props.id).then(
      (e) => {
        setEvent(e);
        for (const s of e.sessions.filter((s) => s.status === "on_sale")) {
          getAvailability(s.id).then((a) => setAvailability((old) => ({ ...old, [s.id]: a })), () => {});
        }
      },
      (e) => setError(messageOf(e)),
    );
  }, [props.id]);

  if (error) return <p class="notice error">{error}</p>;
  if (!event) return <p class="loading">Loading…</p>;
  return (
    <div>
      <p class="eyebrow">{event.category}</p>
      <h1>{event.name}</h1>
      {event.description && <p class="lead">{event.description}</p>}
      <h2>Dates</h2>
      {event.sessions.length === 0 ? (
        <p class="muted">No dates announced yet.</p>
      ) : (
        <ul class="session-list">
          {event.sessions.map((s) => {
            const a = availability[s.id];
            const state = saleState(s, now, a?.totals.available);
            const open = state === "on_sale" || state === "sold_out" || state === "upcoming";
            return (
              <li key={s.id} class="session-row" data-testid="session-row">
                <div>
                  <strong>{formatSessionStart(s.startsAt)}</strong> <span class={`badge ${state}`}>{SALE_BADGE[state]}</span>
                  {s.waitingRoom && <span class="badge waiting">Waiting room</span>}
                  <p class="muted small">
                    {saleStateWords(state, s, now)}
                    {a && state === "on_sale" ? ` · ${a.totals.available.toLocaleString("en")} of ${a.totals.total.toLocaleString("en")} seats left` : ""}
                  </p>
                </div>
                {open && (
                  <a class={`button ${state === "on_sale" ? "primary" : "secondary"}`} href={`/sessions/${s.id}`} onClick={onLinkClick}>
                    {state === "sold_out" ? "Sold out · view" : state === "upcoming" ? "See seats and prices" : "Choose seats"}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

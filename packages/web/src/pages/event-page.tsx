import type { Availability, EventView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { getAvailability, getEvent } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { onLinkClick } from "../app/router.ts";
import { formatDateTime } from "../format/time.ts";

/** `/events/:id`: the event and its sessions, each with what is left and a way in. */
export function EventPage(props: { id: string }) {
  const [event, setEvent] = useState<EventView | null>(null);
  const [availability, setAvailability] = useState<Record<string, Availability>>({});
  const [error, setError] = useState<string | null>(null);

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
            const opens = Date.parse(s.saleStartsAt);
            return (
              <li key={s.id} class="session-row">
                <div>
                  <strong>{formatDateTime(s.startsAt)}</strong>
                  <p class="muted small">
                    {s.status === "on_sale"
                      ? opens > Date.now()
                        ? `Sale opens ${formatDateTime(s.saleStartsAt)}`
                        : `On sale until ${formatDateTime(s.saleEndsAt)}`
                      : s.status === "closed"
                        ? "Sale closed"
                        : "Not on sale yet"}
                    {a ? ` · ${a.totals.available.toLocaleString("en")} of ${a.totals.total.toLocaleString("en")} seats left` : ""}
                  </p>
                </div>
                {s.status === "on_sale" && (
                  <a class="button primary" href={`/sessions/${s.id}`} onClick={onLinkClick}>
                    {a && a.totals.available === 0 ? "Sold out · view" : "Choose seats"}
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

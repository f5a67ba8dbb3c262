import type { EventView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { searchEvents } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { navigate, onLinkClick, useLocation } from "../app/router.ts";
import { formatSessionStart } from "../format/sale-state.ts";

/** The next published session that has not started, else the last one. */
const nextSession = (event: EventView) => event.sessions.find((s) => Date.parse(s.startsAt) > Date.now()) ?? event.sessions.at(-1);

/** `/` and `/events?q=&category=`: search and browse events. */
export function EventsPage() {
  const { search } = useLocation();
  const q = search.get("q") ?? "";
  const category = search.get("category") ?? "";
  const [items, setItems] = useState<EventView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "more">("loading");
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState(q);

  const load = async (from?: string) => {
    setState(from ? "more" : "loading");
    setError(null);
    try {
      // Only events with a published date to come, soonest first (drafts are the organizer's business).
      const page = await searchEvents({ q: q || undefined, category: category || undefined, cursor: from, limit: 20, sort: "date" });
      setItems((old) => (from ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setState("ready");
    }
  };

  useEffect(() => {
    setText(q);
    void load();
  }, [q, category]);

  const submit = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (text.trim()) params.set("q", text.trim());
    if (category) params.set("category", category);
    navigate(`/events${params.size ? `?${params}` : ""}`);
  };

  return (
    <div>
      <h1>Events</h1>
      <search>
        <form class="search" onSubmit={submit}>
        <label class="visually-hidden" for="event-search">
          Search events
        </label>
        <input id="event-search" type="search" placeholder="Search events, artists, teams…" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      </search>
      {category && (
        <p>
          Category: <strong>{category}</strong>{" "}
          <a href={q ? `/events?q=${encodeURIComponent(q)}` : "/events"} onClick={onLinkClick}>
            (any category)
          </a>
        </p>
      )}
      {error && <p class="notice error">{error}</p>}
      {state === "loading" ? (
        <p class="loading">Loading events…</p>
      ) : items.length === 0 ? (
        <p class="muted">{q ? `No events match “${q}”.` : "No events yet."}</p>
      ) : (
        <ul class="event-grid" aria-live="polite">
          {items.map((event) => {
            const session = nextSession(event);
            return (
              <li key={event.id} class="event-card">
                <p class="eyebrow">
                  <a href={`/events?category=${encodeURIComponent(event.category)}`} onClick={onLinkClick}>
                    {event.category}
                  </a>
                </p>
                <h2>
                  <a href={`/events/${event.id}`} onClick={onLinkClick}>
                    {event.name}
                  </a>
                </h2>
                {session && <p class="muted">{formatSessionStart(session.startsAt)}{event.sessions.length > 1 ? ` · ${event.sessions.length} dates` : ""}</p>}
                {event.tags.length > 0 && (
                  <ul class="tags" aria-label="Tags">
                    {event.tags.map((t) => (
                      <li key={t}>{t}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {cursor && state !== "loading" && (
        <button type="button" class="secondary" disabled={state === "more"} onClick={() => load(cursor)}>
          {state === "more" ? "Loading…" : "More events"}
        </button>
      )}
    </div>
  );
}

import type { SessionView, VenueSummary } from "@rush/contracts";
import { useState } from "preact/hooks";
import { createSession } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { type CategoryDraft, type SessionDraft, localOf, sessionBodyOf } from "./drafts.ts";
import { FormActions } from "../app/form-actions.tsx";

const text = (e: Event) => (e.target as HTMLInputElement).value;
const DAY = 86_400_000;

function initialDraft(venue: VenueSummary): SessionDraft {
  const start = new Date(Date.now() + 30 * DAY);
  start.setHours(19, 30, 0, 0);
  return {
    startsAt: localOf(start.getTime()),
    endsAt: localOf(start.getTime() + 3 * 3_600_000),
    saleStartsAt: localOf(Date.now() - 60_000),
    saleEndsAt: localOf(start.getTime() - 3_600_000),
    currency: "EUR",
    categories: [{ name: "Standard", amount: "45.00", areaIds: venue.areas.map((a) => a.id) }],
    holdTtlSeconds: 600,
    maxSeatsPerHold: 8,
    waitingRoom: false,
    admitPerSecond: 50,
  };
}

/** Step 3: a session with its sale window and price categories. */
export function SessionForm(props: { venue: VenueSummary; eventId: string; onCreated(session: SessionView): void }) {
  const [draft, setDraft] = useState(() => initialDraft(props.venue));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const patch = (p: Partial<SessionDraft>) => setDraft({ ...draft, ...p });
  const patchCategory = (i: number, p: Partial<CategoryDraft>) => patch({ categories: draft.categories.map((c, j) => (j === i ? { ...c, ...p } : c)) });
  /** An area belongs to one category: ticking it in one unticks it elsewhere. */
  const toggleArea = (i: number, areaId: string, on: boolean) =>
    patch({
      categories: draft.categories.map((c, j) => ({
        ...c,
        areaIds: j === i ? (on ? [...c.areaIds, areaId] : c.areaIds.filter((a) => a !== areaId)) : on ? c.areaIds.filter((a) => a !== areaId) : c.areaIds,
      })),
    });
  const when = (key: "startsAt" | "endsAt" | "saleStartsAt" | "saleEndsAt", label: string) => (
    <label class="field">
      <span>{label}</span>
      <input type="datetime-local" required value={draft[key]} onInput={(e) => patch({ [key]: text(e) })} />
    </label>
  );

  return (
    <form
      class="panel"
      aria-labelledby="session-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const built = sessionBodyOf(draft);
        if (!built.ok) return setError(built.problems.join(" "));
        setBusy(true);
        setError(null);
        try {
          props.onCreated(await createSession(props.eventId, built.body));
        } catch (e) {
          setError(messageOf(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="session-title">3 · Session and prices</h2>
      <div class="field-row">
        {when("startsAt", "Starts")}
        {when("endsAt", "Ends")}
        {when("saleStartsAt", "Sale opens")}
        {when("saleEndsAt", "Sale closes")}
      </div>
      <fieldset class="categories">
        <legend>Price categories ({draft.currency})</legend>
        {draft.categories.map((c, i) => (
          <div class="category-row" key={i}>
            <label class="field">
              <span>Name</span>
              <input value={c.name} onInput={(e) => patchCategory(i, { name: text(e) })} />
            </label>
            <label class="field">
              <span>Price</span>
              <input inputMode="decimal" value={c.amount} onInput={(e) => patchCategory(i, { amount: text(e) })} size={8} />
            </label>
            <fieldset class="field plain" aria-label={`Areas of ${c.name || `category ${i + 1}`}`}>
              <legend>Areas</legend>
              <div class="checks">
                {props.venue.areas.map((a) => (
                  <label key={a.id} class="check">
                    <input type="checkbox" checked={c.areaIds.includes(a.id)} onChange={(e) => toggleArea(i, a.id, (e.target as HTMLInputElement).checked)} />
                    {a.name} ({a.id})
                  </label>
                ))}
              </div>
            </fieldset>
            {draft.categories.length > 1 && (
              <button type="button" class="link-button" onClick={() => patch({ categories: draft.categories.filter((_, j) => j !== i) })}>
                Remove
              </button>
            )}
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => patch({ categories: [...draft.categories, { name: `Category ${draft.categories.length + 1}`, amount: "30.00", areaIds: [] }] })}>
          Add price category
        </button>
      </fieldset>
      <div class="field-row">
        <label class="field">
          <span>Hold time (seconds)</span>
          <input type="number" min={30} max={3600} value={draft.holdTtlSeconds} onInput={(e) => patch({ holdTtlSeconds: Number(text(e)) })} />
        </label>
        <label class="field">
          <span>Seats per hold</span>
          <input type="number" min={1} max={100} value={draft.maxSeatsPerHold} onInput={(e) => patch({ maxSeatsPerHold: Number(text(e)) })} />
        </label>
        <label class="check">
          <input type="checkbox" checked={draft.waitingRoom} onChange={(e) => patch({ waitingRoom: (e.target as HTMLInputElement).checked })} />
          Waiting room
        </label>
        {draft.waitingRoom && (
          <label class="field">
            <span>Admit per second</span>
            <input type="number" min={1} max={100000} value={draft.admitPerSecond} onInput={(e) => patch({ admitPerSecond: Number(text(e)) })} />
          </label>
        )}
      </div>
      <FormActions error={error} busy={busy} label="Create session" busyLabel="Creating…" />
    </form>
  );
}

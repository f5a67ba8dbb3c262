import type { SessionView } from "@rush/contracts";
import { useState } from "preact/hooks";
import { updateSession } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { FormActions } from "../app/form-actions.tsx";
import { editLock } from "../format/sale-state.ts";
import { isoOf, localOf, priceOf } from "./drafts.ts";

const DATES = [
  ["startsAt", "Starts"],
  ["endsAt", "Ends"],
  ["saleStartsAt", "Sale opens"],
  ["saleEndsAt", "Sale closes"],
] as const;
type DateKey = (typeof DATES)[number][0];

const draftOf = (session: SessionView) => ({
  dates: Object.fromEntries(DATES.map(([key]) => [key, localOf(Date.parse(session[key]))])) as Record<DateKey, string>,
  prices: Object.fromEntries(session.priceCategories.map((c) => [c.id, c.price.amount])) as Record<string, string>,
});

/** Dates and prices, editable until the sale opens; after that the fields stay and the reason is said. */
export function SessionEditForm(props: { session: SessionView; now: number; onSaved(session: SessionView): void }) {
  const { session } = props;
  const [draft, setDraft] = useState(() => draftOf(session));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const lock = editLock(session, props.now);

  const submit = async (e: Event) => {
    e.preventDefault();
    const prices = session.priceCategories.map((c) => ({ c, amount: priceOf(draft.prices[c.id] ?? "") }));
    const bad = prices.find((p) => p.amount === undefined);
    if (bad) return setError(`Price of ${bad.c.name}: a number such as 45 or 45.50.`);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const body = {
        ...Object.fromEntries(DATES.map(([key]) => [key, isoOf(draft.dates[key])])),
        prices: prices.map(({ c, amount }) => ({ priceCategoryId: c.id, price: { amount: amount!, currency: c.price.currency } })),
      };
      const next = await updateSession(session.id, body);
      setDraft(draftOf(next));
      setSaved(true);
      props.onSaved(next);
    } catch (problem) {
      setError(messageOf(problem));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel" aria-labelledby="edit-title" onSubmit={submit}>
      <h2 id="edit-title">Dates and prices</h2>
      {lock && (
        <p class="notice info" data-testid="edit-lock">
          {lock}
        </p>
      )}
      <fieldset class="plain" disabled={Boolean(lock) || busy}>
        <div class="field-row">
          {DATES.map(([key, label]) => (
            <label class="field" key={key}>
              <span>{label}</span>
              <input
                type="datetime-local"
                required
                value={draft.dates[key]}
                onInput={(e) => setDraft({ ...draft, dates: { ...draft.dates, [key]: (e.target as HTMLInputElement).value } })}
              />
            </label>
          ))}
        </div>
        <div class="field-row">
          {session.priceCategories.map((c) => (
            <label class="field" key={c.id}>
              <span>
                {c.name} ({c.price.currency})
              </span>
              <input
                inputMode="decimal"
                size={8}
                value={draft.prices[c.id]}
                onInput={(e) => setDraft({ ...draft, prices: { ...draft.prices, [c.id]: (e.target as HTMLInputElement).value } })}
              />
            </label>
          ))}
        </div>
        <p class="muted">Which areas each price covers is fixed once the session exists; the venue's seats are the venue's.</p>
      </fieldset>
      {saved && (
        <p class="notice success" role="status">
          Saved.
        </p>
      )}
      {!lock && <FormActions error={error} busy={busy} label="Save changes" busyLabel="Saving…" />}
    </form>
  );
}

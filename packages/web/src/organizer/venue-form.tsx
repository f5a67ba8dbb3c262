import type { VenueSummary } from "@rush/contracts";
import { useState } from "preact/hooks";
import { createVenue } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { type AreaDraft, areaProblems, capacityOf, seatMapOf } from "./drafts.ts";
import { FormActions } from "../app/form-actions.tsx";

const num = (e: Event) => Number((e.target as HTMLInputElement).value);
const text = (e: Event) => (e.target as HTMLInputElement).value;

/** Step 1: a venue from areas of rows × seats. */
export function VenueForm(props: { onCreated(venue: VenueSummary): void; title?: string }) {
  const [name, setName] = useState("");
  const [address, setAddress] = useState("");
  const [areas, setAreas] = useState<AreaDraft[]>([
    { id: "A", name: "Stalls left", rowCount: 10, seatsPerRow: 20 },
    { id: "B", name: "Stalls right", rowCount: 10, seatsPerRow: 20 },
  ]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = areaProblems(areas);
  const update = (i: number, patch: Partial<AreaDraft>) => setAreas(areas.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  return (
    <form
      class="panel"
      aria-labelledby="venue-title"
      onSubmit={async (event) => {
        event.preventDefault();
        if (problems.length) return setError(problems.join(" "));
        setBusy(true);
        setError(null);
        try {
          props.onCreated(await createVenue({ name, address, seatMap: seatMapOf(areas) }));
        } catch (e) {
          setError(messageOf(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="venue-title">{props.title ?? "1 · Venue"}</h2>
      <div class="field-row">
        <label class="field grow">
          <span>Name</span>
          <input name="venueName" required value={name} onInput={(e) => setName(text(e))} />
        </label>
        <label class="field grow">
          <span>Address</span>
          <input name="venueAddress" required value={address} onInput={(e) => setAddress(text(e))} />
        </label>
      </div>
      <table class="areas-table">
        <caption class="visually-hidden">Areas</caption>
        <thead>
          <tr>
            <th scope="col">Area id</th>
            <th scope="col">Name</th>
            <th scope="col">Rows</th>
            <th scope="col">Seats per row</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {areas.map((a, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Area ${i + 1} id`} value={a.id} onInput={(e) => update(i, { id: text(e) })} size={6} />
              </td>
              <td>
                <input aria-label={`Area ${i + 1} name`} value={a.name} onInput={(e) => update(i, { name: text(e) })} />
              </td>
              <td>
                <input aria-label={`Area ${i + 1} rows`} type="number" min={1} max={2000} value={a.rowCount} onInput={(e) => update(i, { rowCount: num(e) })} />
              </td>
              <td>
                <input aria-label={`Area ${i + 1} seats per row`} type="number" min={1} max={2000} value={a.seatsPerRow} onInput={(e) => update(i, { seatsPerRow: num(e) })} />
              </td>
              <td>
                <button type="button" class="link-button" disabled={areas.length === 1} onClick={() => setAreas(areas.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="panel-actions">
        <button
          type="button"
          class="secondary"
          onClick={() => setAreas([...areas, { id: String.fromCharCode(65 + (areas.length % 26)) + (areas.length >= 26 ? areas.length : ""), name: `Area ${areas.length + 1}`, rowCount: 10, seatsPerRow: 20 }])}
        >
          Add area
        </button>
        <span class="muted">{capacityOf(areas).toLocaleString("en")} seats</span>
      </p>
      <FormActions error={error} busy={busy} label="Create venue" busyLabel="Creating…" />
    </form>
  );
}

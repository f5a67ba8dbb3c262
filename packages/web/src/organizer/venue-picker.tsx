import type { VenueSummary } from "@rush/contracts";
import { useState } from "preact/hooks";
import { myVenues } from "../api/endpoints.ts";
import { useLoad } from "./use-load.ts";
import { VenueForm } from "./venue-form.tsx";

/** Step 1: one of my venues again (its seat map is reused as it is), or a new one. */
export function VenuePicker(props: { onPicked(venue: VenueSummary): void }) {
  const venues = useLoad(myVenues, "venues");
  const [chosen, setChosen] = useState("");
  const items = venues.value?.items ?? [];
  return (
    <>
      {items.length > 0 && (
        <form
          class="panel"
          aria-labelledby="reuse-title"
          onSubmit={(e) => {
            e.preventDefault();
            const venue = items.find((v) => v.id === (chosen || items[0]!.id));
            if (venue) props.onPicked(venue);
          }}
        >
          <h2 id="reuse-title">1 · Venue you used before</h2>
          <div class="field-row">
            <label class="field grow">
              <span>Venue</span>
              <select name="existingVenue" value={chosen || items[0]!.id} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
                {items.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} — {v.capacity.toLocaleString("en")} seats, {v.address}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <button type="submit" class="primary">
            Use this venue
          </button>
        </form>
      )}
      {venues.error && <p class="notice error">Your venues could not be listed ({venues.error}); you can still create one.</p>}
      <VenueForm onCreated={props.onPicked} title={items.length > 0 ? "…or a new venue" : "1 · Venue"} />
    </>
  );
}

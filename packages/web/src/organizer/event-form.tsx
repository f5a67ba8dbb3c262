import type { EventView } from "@rush/contracts";
import { useState } from "preact/hooks";
import { createEvent } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { FormActions } from "../app/form-actions.tsx";

const text = (e: Event) => (e.target as HTMLInputElement).value;

/** Step 2: an event at the venue. */
export function EventForm(props: { venueId: string; onCreated(event: EventView): void }) {
  const [name, setName] = useState("");
  const [category, setCategory] = useState("music");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="panel"
      aria-labelledby="event-title"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const tagList = tags.split(",").map((t) => t.trim()).filter(Boolean);
          props.onCreated(await createEvent({ venueId: props.venueId, name, category, description, tags: tagList }));
        } catch (e) {
          setError(messageOf(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="event-title">2 · Event</h2>
      <div class="field-row">
        <label class="field grow">
          <span>Name</span>
          <input name="eventName" required value={name} onInput={(e) => setName(text(e))} />
        </label>
        <label class="field">
          <span>Category</span>
          <input name="category" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" title="lower-case letters, digits, - and _" value={category} onInput={(e) => setCategory(text(e))} />
        </label>
      </div>
      <label class="field">
        <span>Description</span>
        <textarea name="description" rows={3} value={description} onInput={(e) => setDescription(text(e))} />
      </label>
      <label class="field">
        <span>Tags (comma separated)</span>
        <input name="tags" value={tags} onInput={(e) => setTags(text(e))} />
      </label>
      <FormActions error={error} busy={busy} label="Create event" busyLabel="Creating…" />
    </form>
  );
}

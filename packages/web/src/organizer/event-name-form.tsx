import { useState } from "preact/hooks";
import { updateEvent } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { FormActions } from "../app/form-actions.tsx";

/** An event's name may change at any time: tickets and orders refer to the event by id. */
export function EventNameForm(props: { eventId: string; name: string; onSaved(name: string): void }) {
  const [name, setName] = useState(props.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="panel"
      aria-labelledby="event-name-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          props.onSaved((await updateEvent(props.eventId, { name })).name);
        } catch (problem) {
          setError(messageOf(problem));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="event-name-title">Event</h2>
      <div class="field-row">
        <label class="field grow">
          <span>Event name</span>
          <input name="eventName" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <FormActions error={error} busy={busy} label="Rename event" busyLabel="Saving…" />
    </form>
  );
}

import { useState } from "preact/hooks";
import { messageOf } from "../api/problem.ts";

/** A form's request: busy while it runs, and the failure in one sentence for `FormActions`. */
export function useForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

/**
 * The end of every form: its error (announced to screen readers) and its one action, disabled
 * while the request runs. A plain submit button unless `onClick` is given.
 */
export function FormActions(props: { error: string | undefined | null; busy: boolean; label: string; busyLabel: string; onClick?: () => void }) {
  return (
    <>
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      <button type={props.onClick ? "button" : "submit"} class="primary" disabled={props.busy} onClick={props.onClick}>
        {props.busy ? props.busyLabel : props.label}
      </button>
    </>
  );
}

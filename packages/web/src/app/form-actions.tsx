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

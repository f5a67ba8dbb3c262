import type { Writable } from "node:stream";

/** Each corked stream's release: sends what the turn has written so far, now. */
const releases = new WeakMap<Writable, () => void>();

/**
 * Holds a connection's writes from the first of an event-loop turn to the turn's end, then sends
 * them in one `writev`: one syscall and one wake-up of the server for everything the turn's
 * callbacks wrote, where each callback's writes went out alone. Nothing waits for a reply, only
 * for the turn that wrote to end (nothing when idle, a few hundred microseconds under load).
 * Idempotent per stream; a new connection (a reconnect) must be corked anew.
 */
export function corkTurns(stream: Writable): void {
  if (releases.has(stream)) return;
  const write = stream.write;
  let open = true;
  /** Which cork a scheduled release belongs to: one released early must not release the next. */
  let cork = 0;
  const release = (which: number) => {
    if (open || which !== cork) return;
    open = true;
    stream.uncork();
  };
  releases.set(stream, () => release(cork));
  stream.write = function (this: Writable, ...args: Parameters<Writable["write"]>) {
    if (open) {
      open = false;
      const which = ++cork;
      stream.cork();
      setImmediate(() => release(which));
    }
    return write.apply(this, args);
  } as Writable["write"];
}

/**
 * Sends what the turn has written to a corked stream so far, now, and lets the turn's next write
 * cork again. For a writer that runs in `setImmediate` and knows it is the turn's last: the
 * release its write schedules there would wait for the next loop iteration, since an immediate
 * queued by an immediate runs a turn later.
 */
export function sendTurnNow(stream: Writable): void {
  releases.get(stream)?.();
}

import type { Writable } from "node:stream";

const corked = new WeakSet<Writable>();

/**
 * Holds a connection's writes from the first of an event-loop turn to the turn's end, then sends
 * them in one `writev`: one syscall and one wake-up of the server for everything the turn's
 * callbacks wrote, where each callback's writes went out alone. Nothing waits for a reply, only
 * for the turn that wrote to end (nothing when idle, a few hundred microseconds under load).
 * Idempotent per stream; a new connection (a reconnect) must be corked anew.
 */
export function corkTurns(stream: Writable): void {
  if (corked.has(stream)) return;
  corked.add(stream);
  const write = stream.write;
  let open = true;
  const uncork = () => {
    open = true;
    stream.uncork();
  };
  stream.write = function (this: Writable, ...args: Parameters<Writable["write"]>) {
    if (open) {
      open = false;
      stream.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Writable["write"];
}

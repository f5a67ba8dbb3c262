/** A first-in first-out queue read by one `for await`, fed from the client's message callbacks. */
export interface MessageQueue<T> extends AsyncIterable<T> {
  /** Ignored once ended: nothing would read it. */
  push(value: T): void;
  /** The reader takes what is queued, then its loop ends. */
  end(): void;
}

/**
 * Unbounded, like the client's own buffer it replaces: what can pile up is bounded by the
 * pulls (max_messages) and the consumer's max_ack_pending on the server.
 */
export function messageQueue<T>(): MessageQueue<T> {
  let items: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  return {
    push(value) {
      if (ended) return;
      items.push(value);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (items.length > 0) {
          // Taken a run at a time: shift() on a long array is a copy per message.
          const run = items;
          items = [];
          yield* run;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
}

/**
 * A token bucket per socket: `burst` messages at once, refilled at `perSecond`. Pure (time comes
 * in), so the socket server holds one per connection and asks it before handling a message.
 */
export interface MessageBudget {
  /** Spends one token at `now`; false when none is left (the message is refused). */
  take(now: number): boolean;
  /** Messages refused since the last one allowed: a client that keeps pushing is cut off. */
  readonly refusedInARow: number;
}

export function createMessageBudget(options: { perSecond: number; burst: number }, start: number): MessageBudget {
  let tokens = options.burst;
  let last = start;
  let refused = 0;
  return {
    take(now) {
      tokens = Math.min(options.burst, tokens + (Math.max(0, now - last) * options.perSecond) / 1000);
      last = Math.max(last, now);
      if (tokens >= 1) {
        tokens -= 1;
        refused = 0;
        return true;
      }
      refused += 1;
      return false;
    },
    get refusedInARow() {
      return refused;
    },
  };
}

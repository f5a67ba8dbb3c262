/** Time enters the gate through this, so tests can move it (STYLE.md: time injected). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

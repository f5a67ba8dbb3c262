import fp from "fastify-plugin";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's requests start in company (`holdLinger`): set on the hold route. */
    linger?: boolean;
  }
}

/**
 * Gathers callers for up to `ms` after the first (or until `max` wait) and lets them all go in one
 * event-loop turn. `onRelease` hears how many went together.
 */
export function createLinger(ms: number, max: number, onRelease?: (count: number) => void): (go: () => void) => void {
  let waiting: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const release = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const going = waiting;
    waiting = [];
    onRelease?.(going.length);
    for (const go of going) go();
  };
  return (go) => {
    waiting.push(go);
    if (waiting.length >= max) release();
    else timer ??= setTimeout(release, ms);
  };
}

export interface HoldLingerOptions {
  /** 0 lets every request go at once. */
  ms: number;
  max: number;
  onRelease?: (count: number) => void;
}

/**
 * Holds arriving within a few milliseconds of each other start together, before the per-IP limit,
 * so every hop after it carries them as one batch: one Redis write for their limits, one for their
 * scripts, one NATS write for their commands, one delivery to the worker and one Redis pipeline
 * there, one write of the replies. At half the saturated rate requests came one at a time and
 * each hop woke its process for one hold: a hold cost ~1,950 µs of the machine's CPU there against
 * ~1,100 at saturation, so "half load" kept the two cores ~95 % busy and its p99 was a queue's
 * tail. A 4 ms linger cut that to ~1,700 µs and the half-load p99 with it, for ~1 ms more p50;
 * with the gate as one process 6 ms cut it to ~1,200 (docs/benchmarks.md, `## http`, 5 Dec 2026 10:25). Under saturation a turn already carries many
 * requests; `max` lets a full batch go without waiting out the timer.
 */
export const holdLinger = fp<HoldLingerOptions>(
  async (app, { ms, max, onRelease }) => {
    if (ms <= 0) return;
    const linger = createLinger(ms, max, onRelease);
    // Global, so it runs before every route's own onRequest hooks (the per-IP limit among them).
    app.addHook("onRequest", (request, _reply, done) => {
      if (request.routeOptions.config.linger) linger(done);
      else done();
    });
  },
  { name: "hold-linger" },
);

/**
 * A consumer can go quiet while the client believes it has a pull outstanding: under load
 * nats-server 2.9 has been seen holding no pull request of a seat actor's at all (consumer info:
 * `num_waiting` 0) while commands piled up for it (`num_pending` 9 → 99 in 4 s), ~30 s after the
 * consumer started, when its first pull expired (docs/benchmarks.md, `## http`, 4 Dec 18:56).
 * The client then asks for nothing more until two heartbeats are missed (2–3 s): past the gate's
 * 2 s wait for a seat actor, every hold of its partition answered 202 meanwhile.
 *
 * An idle pull is heartbeated every `heartbeatMs` (PULL_WINDOW), so hearing nothing for a
 * heartbeat and a quarter is already odd: the consumer asks the server about itself then, and
 * reads on through a fresh pull when the server confirms it is starved. Asked once per quiet spell.
 */
export const QUIET_HEARTBEATS = 1.25;
/**
 * A busy consumer is asked sooner: once it has been quiet for this many of its usual gaps between
 * messages, but not before BUSY_QUIET_FLOOR_MS. A flash sale's busy partition hears from the
 * server every few ms, so a quarter second of nothing is already odd; waiting for a heartbeat and
 * a quarter left its buyers' holds unanswered for ~1.4 s whenever nats-server 2.9 dropped its pull
 * (docs/benchmarks.md, `## http`, 5 Dec). Asking costs one consumer-info request per spell.
 */
export const BUSY_QUIET_GAPS = 10;
export const BUSY_QUIET_FLOOR_MS = 250;
/** How much a new gap moves the usual one (an exponentially weighted mean). */
const GAP_WEIGHT = 0.2;

/** How long a consumer may stay quiet before the server is asked about it. */
export function quietLimit(heartbeatMs: number, usualGapMs: number): number {
  return Math.min(heartbeatMs * QUIET_HEARTBEATS, Math.max(BUSY_QUIET_FLOOR_MS, usualGapMs * BUSY_QUIET_GAPS));
}

/** Statuses that are the server speaking to a pull (the others are the client's own news). */
export const FROM_SERVER: ReadonlySet<string> = new Set(["heartbeat", "discard", "debug"]);

/**
 * Whether it is time to ask the server: nothing heard for `quietLimit` (a heartbeat and a quarter
 * unless the consumer was busy), not asked yet this spell.
 */
export function shouldAskServer(now: number, heardAt: number, heartbeatMs: number, askedThisSpell: boolean, usualGapMs = Number.POSITIVE_INFINITY): boolean {
  return !askedThisSpell && now - heardAt >= quietLimit(heartbeatMs, usualGapMs);
}

/** What the server said about the consumer: its info, or that it no longer has it. */
export type ServerView = { numWaiting: number; numPending: number } | "not found";

/** Asks the server about the consumer; undefined when it does not answer (it or its JetStream is away). */
export async function askServer(consumer: { info(cached?: boolean): Promise<{ num_waiting: number; num_pending: number }> }): Promise<ServerView | undefined> {
  try {
    const info = await consumer.info(false);
    return { numWaiting: info.num_waiting, numPending: info.num_pending };
  } catch (error) {
    return (error as Error).message === "consumer not found" ? "not found" : undefined;
  }
}

/**
 * Why the consumer is starved, or undefined when it is only quiet (a pull waits at the server and
 * nothing is there for it: an idle partition whose heartbeat is late).
 */
export function starvedBecause(view: ServerView): "consumer gone" | "no pull at the server" | "messages not delivered" | undefined {
  if (view === "not found") return "consumer gone";
  if (view.numWaiting === 0) return "no pull at the server";
  if (view.numPending > 0) return "messages not delivered";
  return undefined;
}

export type StarvedReason = NonNullable<ReturnType<typeof starvedBecause>>;

/**
 * One consumer's quiet spells: told each time the server speaks to it (`heard`), and asked on a
 * timer (`starved`) whether the server, asked once per spell, confirms it starved.
 */
export class QuietSpell {
  #heardAt: number;
  #asked = false;
  readonly #soonerWhenBusy: boolean;
  /** Whether `#heardAt` is a time the server spoke (not the construction's): only then is a gap measured. */
  #heardOnce = false;
  /** The usual gap between two times the server spoke, ms (unknown at first). */
  #usualGap = Number.POSITIVE_INFINITY;

  /**
   * `soonerWhenBusy`: ask after ten usual gaps when the consumer is busy (`quietLimit`). For pulls
   * without acks (the seat actors' ordered consumers) only: a durable consumer held back by its
   * unacknowledged messages (max_ack_pending) is quiet with messages pending, and would be replaced.
   */
  constructor(now: number, options: { soonerWhenBusy?: boolean } = {}) {
    this.#heardAt = now;
    this.#soonerWhenBusy = options.soonerWhenBusy ?? false;
  }

  /** When the server last spoke to the consumer. */
  get heardAt(): number {
    return this.#heardAt;
  }

  /** The usual gap between two times the server spoke, ms (infinite until two were heard). */
  get usualGap(): number {
    return this.#usualGap;
  }

  heard(now: number): void {
    if (this.#heardOnce) {
      const gap = Math.max(0, now - this.#heardAt);
      this.#usualGap = Number.isFinite(this.#usualGap) ? this.#usualGap + GAP_WEIGHT * (gap - this.#usualGap) : gap;
    }
    this.#heardOnce = true;
    this.#heardAt = now;
    this.#asked = false;
  }

  /**
   * Past `quietLimit` of quiet, asks the server about `consumer` (once this spell);
   * why it is starved if the server says so and nothing was heard meanwhile, else undefined (the
   * server away: the missed heartbeats still apply).
   */
  async starved(now: number, heartbeatMs: number, consumer: Parameters<typeof askServer>[0]): Promise<StarvedReason | undefined> {
    const usualGap = this.#soonerWhenBusy ? this.#usualGap : Number.POSITIVE_INFINITY;
    if (!shouldAskServer(now, this.#heardAt, heartbeatMs, this.#asked, usualGap)) return undefined;
    this.#asked = true;
    const since = this.#heardAt;
    const view = await askServer(consumer);
    const reason = view && starvedBecause(view);
    return reason && this.#heardAt === since ? reason : undefined;
  }
}


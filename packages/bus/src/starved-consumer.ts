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

/** Statuses that are the server speaking to a pull (the others are the client's own news). */
export const FROM_SERVER: ReadonlySet<string> = new Set(["heartbeat", "discard", "debug"]);

/** Whether it is time to ask the server (nothing heard for a heartbeat and a quarter, not asked yet this spell). */
export function shouldAskServer(now: number, heardAt: number, heartbeatMs: number, askedThisSpell: boolean): boolean {
  return !askedThisSpell && now - heardAt >= heartbeatMs * QUIET_HEARTBEATS;
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

  constructor(now: number) {
    this.#heardAt = now;
  }

  /** When the server last spoke to the consumer. */
  get heardAt(): number {
    return this.#heardAt;
  }

  heard(now: number): void {
    this.#heardAt = now;
    this.#asked = false;
  }

  /**
   * Past a heartbeat and a quarter of quiet, asks the server about `consumer` (once this spell);
   * why it is starved if the server says so and nothing was heard meanwhile, else undefined (the
   * server away: the missed heartbeats still apply).
   */
  async starved(now: number, heartbeatMs: number, consumer: Parameters<typeof askServer>[0]): Promise<StarvedReason | undefined> {
    if (!shouldAskServer(now, this.#heardAt, heartbeatMs, this.#asked)) return undefined;
    this.#asked = true;
    const since = this.#heardAt;
    const view = await askServer(consumer);
    const reason = view && starvedBecause(view);
    return reason && this.#heardAt === since ? reason : undefined;
  }
}


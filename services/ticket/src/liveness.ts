import type { Bus } from "@rush/bus";
import { errors, type Subscription } from "@nats-io/transport-node";

/** Core NATS subject a live worker answers on (the ticket user may publish and subscribe to it). */
export const aliveSubject = (workerId: string) => `ticket.alive.${workerId}`;

/** Answers "alive" pings for as long as this worker's connection to NATS stands. */
export function answerAlive(bus: Bus, workerId: string): Subscription {
  return bus.nc.subscribe(aliveSubject(workerId), {
    callback: (_error, msg) => {
      msg.respond();
    },
  });
}

/**
 * Whether a worker's process is gone: NATS answers "no responders" at once to a request nobody
 * subscribes to, which is what a SIGKILLed worker's connection leaves behind. A worker that is
 * alive but slow (a stalled event loop) times out instead and counts as alive: only the lease
 * TTL takes its partitions, as before.
 */
export async function isGone(bus: Bus, workerId: string, timeoutMs = 500): Promise<boolean> {
  try {
    await bus.nc.request(aliveSubject(workerId), undefined, { timeout: timeoutMs });
    return false;
  } catch (error) {
    return (error instanceof errors.RequestError && error.isNoResponders()) || error instanceof errors.NoRespondersError;
  }
}

/**
 * Suspicion that must last: a worker is declared gone only after answering "no responders" on
 * pings at least `confirmMs` apart, so the moments after a nats-server restart (each worker
 * subscribes again as it reconnects, a few hundred ms apart) never move a live worker's leases.
 */
export class GoneWorkers {
  readonly #since = new Map<string, number>();

  constructor(private readonly confirmMs: number) {}

  /** Records this round of pings; returns the workers confirmed gone and whether any is newly suspected. */
  update(results: Map<string, boolean>, now: number): { gone: Set<string>; suspected: boolean } {
    const gone = new Set<string>();
    let suspected = false;
    for (const [worker, noResponders] of results) {
      if (!noResponders) {
        this.#since.delete(worker);
        continue;
      }
      const since = this.#since.get(worker);
      if (since === undefined) {
        this.#since.set(worker, now);
        suspected = true;
      } else if (now - since >= this.confirmMs) gone.add(worker);
    }
    for (const worker of this.#since.keys()) if (!results.has(worker)) this.#since.delete(worker);
    return { gone, suspected };
  }
}

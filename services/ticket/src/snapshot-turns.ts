/**
 * One snapshot encoded per event-loop turn across a worker's partitions, and at most one per
 * `spacingMs`.
 *
 * A worker runs every partition on one thread, and partitions loaded together come due together
 * (every SNAPSHOT_EVERY_MS from the same start): at the bench's half load a turn that encoded
 * twenty of them at once held every hold in flight for 50–100 ms. One a turn was not enough
 * apart: at half load turns are ~1 ms, so the twenty still came in one burst of the worker's CPU
 * every few seconds, the slow spells of the half-load level. A partition refused snapshots after
 * one of its next batches, or shortly when idle; the interval is seconds, the wait a few turns
 * or `spacingMs` per partition ahead of it.
 */
export class SnapshotTurns {
  #taken = false;
  #next = 0;

  constructor(
    private readonly spacingMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when no partition has claimed this turn, nor one within `spacingMs`: the turn is now the caller's. */
  claim(): boolean {
    if (this.#taken) return false;
    if (this.spacingMs > 0) {
      const now = this.now();
      if (now < this.#next) return false;
      this.#next = now + this.spacingMs;
    }
    this.#taken = true;
    setImmediate(() => {
      this.#taken = false;
    });
    return true;
  }
}

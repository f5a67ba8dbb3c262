/**
 * One snapshot encoded per event-loop turn across a worker's partitions.
 *
 * A worker runs every partition on one thread, and partitions loaded together come due together
 * (every SNAPSHOT_EVERY_MS from the same start): at the bench's half load a turn that encoded
 * twenty of them at once held every hold in flight for 50–100 ms. A partition refused a turn
 * snapshots after one of its next batches, or shortly when idle; the interval is seconds, the
 * wait a few turns.
 */
export class SnapshotTurns {
  #taken = false;

  /** True when no partition has claimed this turn: the turn is now the caller's. */
  claim(): boolean {
    if (this.#taken) return false;
    this.#taken = true;
    setImmediate(() => {
      this.#taken = false;
    });
    return true;
  }
}

/** Past this many publishes awaiting their PubAck, a publisher should wait for the stream before sending more. */
export const MAX_UNCONFIRMED = 10_000;

/**
 * The PubAcks of publishes that went out without being awaited: how many are still owed,
 * whether one failed, and a promise for all of them. `onError` hears the first failure at once
 * (the actor wakes its loop to end it).
 */
export class AckTracker {
  #all: Promise<void> = Promise.resolve();
  #pending = 0;
  #error: Error | undefined;

  constructor(private readonly onError: (error: Error) => void = () => {}) {}

  /** The first publish that could not be stored, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** More than MAX_UNCONFIRMED PubAcks owed: time to wait for `confirmed()`. */
  get full(): boolean {
    return this.#pending > MAX_UNCONFIRMED;
  }

  track(acks: Promise<unknown>[]): void {
    if (acks.length === 0) return;
    this.#pending += acks.length;
    const settled = Promise.all(acks).then(
      () => {
        this.#pending -= acks.length;
      },
      (error: Error) => {
        if (this.#error) return;
        this.#error = error;
        this.onError(error);
      },
    );
    this.#all = Promise.all([this.#all, settled]).then(() => {});
  }

  /** Resolves once everything tracked so far is acknowledged; rejects with the first failure. */
  async confirmed(): Promise<void> {
    await this.#all;
    if (this.#error) throw this.#error;
  }
}

/** A background pass that runs every so often: the reconciler, the repair pass. */
export interface Periodic {
  /** No new pass starts; resolves once the one running (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `everyMs`, never two at once in this process (a slow pass delays the next
 * rather than overlapping it). `pass` gets `stopping()` to end a long batch early on shutdown;
 * a pass that throws is handed to `onError` and the next one runs as usual.
 */
export function runEvery(everyMs: number, pass: (stopping: () => boolean) => Promise<void>, onError: (error: unknown) => void): Periodic {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? undefined : pass(() => stopped))).catch(onError);
  }, everyMs);
  // A pass never keeps the process alive: shutdown is `stop`'s job.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

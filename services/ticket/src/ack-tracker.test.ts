import { describe, expect, it, vi } from "vitest";
import { AckTracker, MAX_UNCONFIRMED } from "./ack-tracker.ts";

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("ack tracker", () => {
  it("ack tracker: confirmed waits for every tracked PubAck", async () => {
    const tracker = new AckTracker();
    const first = deferred();
    const second = deferred();
    tracker.track([first.promise]);
    tracker.track([second.promise]);
    let done = false;
    const confirmed = tracker.confirmed().then(() => {
      done = true;
    });
    first.resolve();
    await Promise.resolve();
    expect(done).toBe(false);
    second.resolve();
    await confirmed;
    expect(done).toBe(true);
  });

  it("ack tracker: the first failure is kept, told once, and confirmed rejects with it", async () => {
    const onError = vi.fn();
    const tracker = new AckTracker(onError);
    const boom = new Error("no PubAck");
    tracker.track([Promise.reject(boom)]);
    tracker.track([Promise.reject(new Error("later"))]);
    await expect(tracker.confirmed()).rejects.toBe(boom);
    expect(tracker.error).toBe(boom);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("ack tracker: full past the bound, not once the acks are in", async () => {
    const tracker = new AckTracker();
    const owed = deferred();
    tracker.track(Array.from({ length: MAX_UNCONFIRMED + 1 }, () => owed.promise));
    expect(tracker.full).toBe(true);
    owed.resolve();
    await tracker.confirmed();
    expect(tracker.full).toBe(false);
  });
});

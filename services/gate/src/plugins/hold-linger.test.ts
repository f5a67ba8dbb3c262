import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLinger } from "./hold-linger.ts";

describe("createLinger", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("lets callers that came within `ms` of the first go together, not before", () => {
    const went: string[] = [];
    const batches: number[] = [];
    const linger = createLinger(4, 32, (count) => batches.push(count));
    linger(() => went.push("a"));
    vi.advanceTimersByTime(3);
    linger(() => went.push("b"));
    linger(() => went.push("c"));
    expect(went).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(went).toEqual(["a", "b", "c"]);
    expect(batches).toEqual([3]);
  });

  it("a caller after a release starts the next batch with its own full wait", () => {
    const went: string[] = [];
    const linger = createLinger(4, 32);
    linger(() => went.push("a"));
    vi.advanceTimersByTime(4);
    linger(() => went.push("b"));
    vi.advanceTimersByTime(3);
    expect(went).toEqual(["a"]);
    vi.advanceTimersByTime(1);
    expect(went).toEqual(["a", "b"]);
  });

  it("`max` callers go at once, without the timer; the next caller waits anew", () => {
    const went: number[] = [];
    const batches: number[] = [];
    const linger = createLinger(1000, 3, (count) => batches.push(count));
    for (const n of [1, 2, 3]) linger(() => went.push(n));
    expect(went).toEqual([1, 2, 3]);
    linger(() => went.push(4));
    expect(went).toEqual([1, 2, 3]);
    // The full batch cleared its timer: the fourth waits its whole second from its own arrival.
    vi.advanceTimersByTime(999);
    expect(went).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(went).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([3, 1]);
  });
});

import { describe, expect, it } from "vitest";
import { messageQueue } from "./message-queue.ts";

describe("message queue", () => {
  it("message queue: yields what was pushed before and while it is read, in order, then ends after what is queued", async () => {
    const queue = messageQueue<number>();
    queue.push(1);
    queue.push(2);
    const read: number[] = [];
    const reading = (async () => {
      for await (const value of queue) {
        read.push(value);
        if (value === 2) setTimeout(() => queue.push(3), 5);
        if (value === 3) {
          queue.push(4);
          queue.end();
          queue.push(5);
        }
      }
    })();
    await reading;
    expect(read).toEqual([1, 2, 3, 4]);
  });

  it("message queue: a reader waiting on an empty queue ends when it is ended", async () => {
    const queue = messageQueue<number>();
    const reading = (async () => {
      const read: number[] = [];
      for await (const value of queue) read.push(value);
      return read;
    })();
    await new Promise((r) => setTimeout(r, 5));
    queue.end();
    expect(await reading).toEqual([]);
  });
});

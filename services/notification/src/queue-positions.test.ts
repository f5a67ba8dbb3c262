import { describe, expect, it } from "vitest";
import { admittedAt } from "./queue-positions.ts";
import { liveStatusOf } from "./seat-deltas.ts";

describe("waiting-room projection", () => {
  const room = { saleStartsAt: 10_000, admitPerSecond: 2 };

  it("queue: nobody is in before the sale starts", () => {
    expect(admittedAt(room, undefined, undefined, 100, 9_999)).toBe(0);
  });

  it("queue: the cursor advances at the rate from its last move, as the gate's next call would", () => {
    expect(admittedAt(room, undefined, undefined, 100, 12_000)).toBe(4);
    expect(admittedAt(room, 3, 11_000, 100, 12_500)).toBe(6);
  });

  it("queue: an idle room banks no more than one second's burst past its end", () => {
    expect(admittedAt(room, 0, 10_000, 3, 100_000)).toBe(5);
  });
});

describe("live seat status", () => {
  it("live: read-model values as a seat map shows them", () => {
    expect(["a", "s", "b", "h:someone", "?"].map(liveStatusOf)).toEqual(["available", "sold", "sold", "held", undefined]);
  });
});

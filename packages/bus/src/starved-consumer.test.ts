import { describe, expect, it } from "vitest";
import { QUIET_HEARTBEATS, shouldAskServer, starvedBecause } from "./starved-consumer.ts";

describe("starved consumer", () => {
  it("asks the server once a heartbeat and a quarter passed with nothing heard, once per quiet spell", () => {
    const heard = 10_000;
    expect(shouldAskServer(heard + 999, heard, 1_000, false)).toBe(false);
    expect(shouldAskServer(heard + 1_000 * QUIET_HEARTBEATS - 1, heard, 1_000, false)).toBe(false);
    expect(shouldAskServer(heard + 1_000 * QUIET_HEARTBEATS, heard, 1_000, false)).toBe(true);
    expect(shouldAskServer(heard + 5_000, heard, 1_000, true)).toBe(false);
  });

  it("is starved when the server holds no pull of it, keeps messages from it, or lost the consumer", () => {
    expect(starvedBecause({ numWaiting: 0, numPending: 0 })).toBe("no pull at the server");
    expect(starvedBecause({ numWaiting: 0, numPending: 12 })).toBe("no pull at the server");
    expect(starvedBecause({ numWaiting: 1, numPending: 12 })).toBe("messages not delivered");
    expect(starvedBecause("not found")).toBe("consumer gone");
  });

  it("is only quiet when a pull waits and nothing is there for it (an idle partition, a late heartbeat)", () => {
    expect(starvedBecause({ numWaiting: 1, numPending: 0 })).toBeUndefined();
    expect(starvedBecause({ numWaiting: 3, numPending: 0 })).toBeUndefined();
  });
});

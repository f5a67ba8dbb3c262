import { describe, expect, it } from "vitest";
import { BUSY_QUIET_FLOOR_MS, QUIET_HEARTBEATS, QuietSpell, shouldAskServer, starvedBecause } from "./starved-consumer.ts";

/** The server speaks to `spell` `count` times, `gapMs` apart, after `from`; returns the last time. */
function hear(spell: QuietSpell, from: number, gapMs: number, count: number): number {
  let now = from;
  for (let i = 0; i < count; i++) {
    now += gapMs;
    spell.heard(now);
  }
  return now;
}

describe("starved consumer", () => {
  it("asks the server once a heartbeat and a quarter passed with nothing heard, once per quiet spell", () => {
    const heard = 10_000;
    expect(shouldAskServer(heard + 999, heard, 1_000, false)).toBe(false);
    expect(shouldAskServer(heard + 1_000 * QUIET_HEARTBEATS - 1, heard, 1_000, false)).toBe(false);
    expect(shouldAskServer(heard + 1_000 * QUIET_HEARTBEATS, heard, 1_000, false)).toBe(true);
    expect(shouldAskServer(heard + 5_000, heard, 1_000, true)).toBe(false);
  });

  it("asks sooner about a busy consumer: after ten of its usual gaps, never before 250 ms, never later than an idle one", () => {
    const heard = 10_000;
    expect(shouldAskServer(heard + BUSY_QUIET_FLOOR_MS - 1, heard, 1_000, false, 5)).toBe(false);
    expect(shouldAskServer(heard + BUSY_QUIET_FLOOR_MS, heard, 1_000, false, 5)).toBe(true);
    expect(shouldAskServer(heard + 399, heard, 1_000, false, 40)).toBe(false);
    expect(shouldAskServer(heard + 400, heard, 1_000, false, 40)).toBe(true);
    expect(shouldAskServer(heard + 1_000 * QUIET_HEARTBEATS, heard, 1_000, false, 500)).toBe(true);
    expect(shouldAskServer(heard + BUSY_QUIET_FLOOR_MS, heard, 1_000, true, 5)).toBe(false);
  });

  it("asks a busy consumer sooner only when told to (pulls without acks): a durable one waits a heartbeat and a quarter", async () => {
    const info = { calls: 0, async info() { this.calls++; return { num_waiting: 1, num_pending: 0 }; } };
    for (const [soonerWhenBusy, asked] of [[true, 1], [false, 0]] as const) {
      info.calls = 0;
      const spell = new QuietSpell(0, { soonerWhenBusy });
      const now = hear(spell, 50_000, 10, 40);
      expect(await spell.starved(now + BUSY_QUIET_FLOOR_MS, 1_000, info)).toBeUndefined();
      expect(info.calls).toBe(asked);
    }
  });

  it("learns a consumer's usual gap from what it hears: messages every 10 ms make it busy, heartbeats keep it idle", () => {
    const busy = new QuietSpell(0);
    hear(busy, 50_000, 10, 40);
    expect(busy.usualGap).toBeCloseTo(10, 0);
    const idle = new QuietSpell(0);
    expect(idle.usualGap).toBe(Number.POSITIVE_INFINITY);
    // The construction's time is not a gap: the first heard only starts the count.
    idle.heard(50_000);
    expect(idle.usualGap).toBe(Number.POSITIVE_INFINITY);
    let now = hear(idle, 50_000, 1_000, 10);
    expect(idle.usualGap).toBeCloseTo(1_000, 0);
    // A burst after idling brings it down over a few dozen messages, not at once.
    now = hear(idle, now, 10, 5);
    expect(idle.usualGap).toBeGreaterThan(100);
    hear(idle, now, 10, 40);
    expect(idle.usualGap).toBeLessThan(BUSY_QUIET_FLOOR_MS / 10);
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

import { describe, expect, it } from "vitest";
import { apply } from "./apply.ts";
import { dueExpiries, expireHoldCommand, liveHoldExpiries, nextExpiry } from "./expiries.ts";
import { CONFIG, commandsFor, loaded, range, run, SESSION, uuid } from "./test-fixtures.ts";

const A = commandsFor("A");
const TTL = CONFIG.holdTtlMs;

describe("expiries", () => {
  it("expiries: lists live holds and which are due, earliest first", () => {
    const state = loaded([["1", range(1, 5)]]);
    expect(nextExpiry(state)).toBeUndefined();
    run(
      state,
      A.hold(uuid(1), "a", ["A-1-1"], 100),
      A.hold(uuid(2), "b", ["A-1-2"], 0),
      A.hold(uuid(3), "c", ["A-1-3"], 50),
    );
    run(state, A.extend(uuid(2), TTL, 20_000));
    expect([...liveHoldExpiries(state)]).toHaveLength(3);
    expect(nextExpiry(state)).toBe(TTL + 50);
    expect(dueExpiries(state, TTL + 100).map((d) => d.holdId)).toEqual([uuid(3), uuid(1)]);
    expect(dueExpiries(state, TTL + 100, 1)).toEqual([
      { sessionId: SESSION, areaId: "A", holdId: uuid(3), expiresAt: TTL + 50 },
    ]);
  });

  it("expiries: the ExpireHold command for a due hold expires it, even if the timer fired early", () => {
    const state = loaded([["1", range(1, 5)]]);
    run(state, A.hold(uuid(1), "a", ["A-1-1"], 0));
    const [expiry] = [...liveHoldExpiries(state)];
    const command = expireHoldCommand(expiry!, TTL - 5);
    expect(command).toMatchObject({ commandId: `expire:${uuid(1)}:${TTL}`, now: TTL, holdId: uuid(1) });
    expect(apply(state, command).events.map((e) => e.type)).toEqual(["HoldExpired"]);
    expect(nextExpiry(state)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { SnapshotTurns } from "./snapshot-turns.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("SnapshotTurns", () => {
  it("one claim a turn: the turn's second caller is refused, the next turn's first is not", async () => {
    const turns = new SnapshotTurns();
    expect(turns.claim()).toBe(true);
    expect(turns.claim()).toBe(false);
    await nextTurn();
    expect(turns.claim()).toBe(true);
  });

  it("with a spacing, a later turn is refused until that long after the last claim", async () => {
    let now = 1_000;
    const turns = new SnapshotTurns(25, () => now);
    expect(turns.claim()).toBe(true);
    await nextTurn();
    now += 24;
    expect(turns.claim()).toBe(false);
    now += 1;
    expect(turns.claim()).toBe(true);
    // A refusal does not push the next slot on: only a claim does.
    await nextTurn();
    now += 10;
    expect(turns.claim()).toBe(false);
    now += 15;
    expect(turns.claim()).toBe(true);
  });
});

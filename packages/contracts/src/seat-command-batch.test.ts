import { describe, expect, it } from "vitest";
import { MAX_COMMANDS_PER_BATCH, SeatCommandBatch, readSeatCommandMessage } from "./seat-command-batch.ts";

const hold = (n: number) => ({
  type: "HoldBestAvailable",
  commandId: `cmd-${n}`,
  sessionId: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10",
  areaId: "A",
  now: 1_700_000_000_000,
  holdId: "2b1c6a8e-4f3d-4c2a-9b1e-5d6f7a8b9c0d",
  buyerId: `u${n}`,
  quantity: 2,
});
const trace = { correlationId: "c-1", traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01" };

describe("seat command batches", () => {
  it("seat command batch: a lone command reads as one entry, not a batch", () => {
    expect(readSeatCommandMessage(hold(1))).toEqual({ batch: false, entries: [{ command: hold(1) }], poison: [] });
  });

  it("seat command batch: entries keep their order and their traces", () => {
    const batch = { type: "SeatCommandBatch", entries: [{ command: hold(1), ...trace }, { command: hold(2) }] };
    expect(SeatCommandBatch.parse(batch)).toEqual(batch);
    const read = readSeatCommandMessage(batch);
    expect(read.batch).toBe(true);
    expect(read.entries.map((e) => e.command.commandId)).toEqual(["cmd-1", "cmd-2"]);
    expect(read.entries[0]).toMatchObject(trace);
    expect(read.poison).toEqual([]);
  });

  it("seat command batch: a malformed entry is poison on its own; its neighbours still count", () => {
    const batch = { type: "SeatCommandBatch", entries: [{ command: hold(1) }, { command: { ...hold(2), quantity: 0 } }, { command: hold(3) }] };
    const read = readSeatCommandMessage(batch);
    expect(read.entries.map((e) => e.command.commandId)).toEqual(["cmd-1", "cmd-3"]);
    expect(read.poison).toHaveLength(1);
  });

  it("seat command batch: empty, oversized or shapeless batches and non-commands are poison", () => {
    const many = Array.from({ length: MAX_COMMANDS_PER_BATCH + 1 }, (_, i) => ({ command: hold(i) }));
    for (const body of [
      { type: "SeatCommandBatch", entries: [] },
      { type: "SeatCommandBatch", entries: many },
      { type: "SeatCommandBatch", entries: "nope" },
      { type: "StealSeats" },
      null,
    ]) {
      const read = readSeatCommandMessage(body);
      expect(read.entries).toEqual([]);
      expect(read.poison).toHaveLength(1);
    }
  });
});

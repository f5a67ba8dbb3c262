import { describe, expect, it } from "vitest";
import { HoldRejectedBatch, readHoldRejections } from "./hold-rejected-batch.ts";
import { MAX_COMMANDS_PER_BATCH } from "./seat-command-batch.ts";

const rejected = (n: number) => ({
  type: "HoldRejected",
  commandId: `cmd-${n}`,
  sessionId: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10",
  areaId: "A",
  at: 1_700_000_000_000,
  holdId: `hold-${n}`,
  buyerId: `u${n}`,
  reason: "unavailable",
  unavailable: [],
});
const trace = { correlationId: "c-1", traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01" };

describe("hold rejected batches", () => {
  it("hold rejected batch: a lone refusal reads as one entry", () => {
    expect(readHoldRejections(rejected(1))).toEqual([{ event: rejected(1) }]);
  });

  it("hold rejected batch: entries keep their order and their traces", () => {
    const batch = { type: "HoldRejectedBatch", entries: [{ event: rejected(1), ...trace }, { event: rejected(2) }] };
    expect(HoldRejectedBatch.parse(batch)).toEqual(batch);
    const read = readHoldRejections(batch);
    expect(read.map((e) => e.event.commandId)).toEqual(["cmd-1", "cmd-2"]);
    expect(read[0]).toMatchObject(trace);
  });

  it("hold rejected batch: only refusals, 1 to the batch limit, are accepted", () => {
    expect(() => readHoldRejections({ type: "HoldRejectedBatch", entries: [] })).toThrow();
    const tooMany = Array.from({ length: MAX_COMMANDS_PER_BATCH + 1 }, (_, i) => ({ event: rejected(i) }));
    expect(() => readHoldRejections({ type: "HoldRejectedBatch", entries: tooMany })).toThrow();
    expect(() => readHoldRejections({ type: "HoldRejectedBatch", entries: [{ event: { ...rejected(1), type: "SeatsHeld" } }] })).toThrow();
    expect(() => readHoldRejections({ ...rejected(1), reason: "because" })).toThrow();
  });
});

import { MAX_COMMANDS_PER_BATCH } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { MAX_BATCH_BYTES, batchMsgId, chunkBatches, tracedEntry } from "./batch-framing.ts";

describe("batch framing", () => {
  it("batch framing: chunks keep order and stop at the entry limit", () => {
    const items = Array.from({ length: MAX_COMMANDS_PER_BATCH + 3 }, (_, i) => `x${i}`);
    const chunks = chunkBatches(items, (s) => s);
    expect(chunks.map((c) => c.length)).toEqual([MAX_COMMANDS_PER_BATCH, 3]);
    expect(chunks.flat()).toEqual(items);
  });

  it("batch framing: chunks stop at the byte limit; one oversized item still gets a chunk", () => {
    const big = "y".repeat(MAX_BATCH_BYTES / 2 + 1);
    expect(chunkBatches(["a", big, big, "b"], (s) => s).map((c) => c.length)).toEqual([2, 2]);
    expect(chunkBatches([], (s: string) => s)).toEqual([]);
  });

  it("batch framing: a traced entry carries its trace, an untraced one only its value", () => {
    const trace = { correlationId: "c-1", traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01" };
    expect(JSON.parse(tracedEntry("command", '{"a":1}', trace))).toEqual({ command: { a: 1 }, ...trace });
    expect(JSON.parse(tracedEntry("event", "[]", undefined))).toEqual({ event: [] });
  });

  it("batch framing: the msg-id follows exactly the members", () => {
    expect(batchMsgId("batch", ["a", "b"])).toBe(batchMsgId("batch", ["a", "b"]));
    expect(batchMsgId("batch", ["a", "b"])).not.toBe(batchMsgId("batch", ["ab"]));
    expect(batchMsgId("rejected", ["a"])).toMatch(/^rejected:[\w-]{43}$/);
  });
});

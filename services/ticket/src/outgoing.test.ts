import { HoldRejectedBatch, MAX_COMMANDS_PER_BATCH } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { type Outgoing, groupRejections } from "./outgoing.ts";

const trace = (n: number) => ({ correlationId: `c-${n}`, traceparent: `00-${"0".repeat(31)}${n % 10}-0123456789abcdef-01` });
const refusal = (n: number): Outgoing => ({
  subject: "seat.lock.failed.3",
  type: "HoldRejected",
  text: JSON.stringify({
    type: "HoldRejected", commandId: `cmd-${n}`, sessionId: "s", areaId: "A", at: 1, holdId: `h-${n}`, buyerId: `u${n}`, reason: "unavailable", unavailable: [],
  }),
  msgId: `cmd-${n}:0`,
  trace: trace(n),
});
const held: Outgoing = { subject: "seat.locked.3", type: "SeatsHeld", text: "{}", msgId: "cmd-0:0", trace: trace(0) };

describe("grouping refusals", () => {
  it("outgoing: a message's refusals become one HoldRejectedBatch; its other events stay as they are", () => {
    const grouped = groupRejections([refusal(1), held, refusal(2), refusal(3)]);
    expect(grouped[0]).toBe(held);
    expect(grouped).toHaveLength(2);
    const batch = grouped[1]!;
    expect(batch).toMatchObject({ subject: "seat.lock.failed.3", type: "HoldRejectedBatch", trace: trace(1) });
    const body = HoldRejectedBatch.parse(JSON.parse(batch.text));
    expect(body.entries.map((e) => [e.event.commandId, e.correlationId])).toEqual([["cmd-1", "c-1"], ["cmd-2", "c-2"], ["cmd-3", "c-3"]]);
  });

  it("outgoing: the batch's msg-id follows its refusals, so a replay makes the same one", () => {
    const msgId = (ns: number[]) => groupRejections(ns.map(refusal))[0]!.msgId;
    expect(msgId([1, 2, 3])).toBe(msgId([1, 2, 3]));
    expect(msgId([1, 2, 3])).not.toBe(msgId([1, 2, 4]));
    expect(msgId([1, 2, 3])).toMatch(/^rejected:/);
  });

  it("outgoing: a lone refusal stays a plain event; a batch past its limit is split", () => {
    expect(groupRejections([held, refusal(1)])).toEqual([held, refusal(1)]);
    const many = Array.from({ length: MAX_COMMANDS_PER_BATCH + 2 }, (_, i) => refusal(i));
    const split = groupRejections(many);
    expect(split.map((out) => out.type)).toEqual(["HoldRejectedBatch", "HoldRejectedBatch"]);
    expect(split.map((out) => HoldRejectedBatch.parse(JSON.parse(out.text)).entries.length)).toEqual([MAX_COMMANDS_PER_BATCH, 2]);
  });
});

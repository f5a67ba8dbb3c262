import { type TraceContext, batchMsgId, chunkBatches, tracedEntry } from "@rush/bus";

/** One message the actor publishes to SEAT_EVENTS. */
export interface Outgoing {
  subject: string;
  /** The message type (the `rush-type` header): the event's type, or `HoldRejectedBatch`. */
  type: string;
  /** The body as JSON, encoded once. */
  text: string;
  msgId: string;
  trace: TraceContext;
}

/**
 * The refusals among one command message's events, as `HoldRejectedBatch` messages (one unless
 * a batch outgrows its limits); the other events as they were. Each batch's msg-id is derived from
 * its events' msg-ids, which come from command ids: a replay of the same command message makes
 * the same batches, so JetStream drops the copies as it drops single events.
 */
export function groupRejections(outs: readonly Outgoing[]): Outgoing[] {
  const refusals = outs.filter((out) => out.type === "HoldRejected");
  if (refusals.length < 2) return [...outs];
  const grouped: Outgoing[] = outs.filter((out) => out.type !== "HoldRejected");
  for (const chunk of chunkBatches(refusals, (out) => out.text)) grouped.push(chunk.length === 1 ? chunk[0]! : rejectionBatch(chunk));
  return grouped;
}

function rejectionBatch(refusals: Outgoing[]): Outgoing {
  const entries = refusals.map(({ text, trace }) => tracedEntry("event", text, trace));
  return {
    subject: refusals[0]!.subject,
    type: "HoldRejectedBatch",
    text: `{"type":"HoldRejectedBatch","entries":[${entries.join(",")}]}`,
    msgId: batchMsgId("rejected", refusals.map((out) => out.msgId)),
    trace: refusals[0]!.trace,
  };
}

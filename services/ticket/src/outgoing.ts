import { createHash } from "node:crypto";
import type { TraceContext } from "@rush/bus";
import { MAX_COMMANDS_PER_BATCH } from "@rush/contracts";

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

/** A batch stays well under the 1 MiB message limit. */
const MAX_BATCH_BYTES = 256 * 1024;

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
  let chunk: Outgoing[] = [];
  let bytes = 0;
  const close = () => {
    if (chunk.length === 1) grouped.push(chunk[0]!);
    else if (chunk.length > 1) grouped.push(rejectionBatch(chunk));
    chunk = [];
    bytes = 0;
  };
  for (const out of refusals) {
    if (chunk.length >= MAX_COMMANDS_PER_BATCH || bytes + out.text.length > MAX_BATCH_BYTES) close();
    chunk.push(out);
    bytes += out.text.length;
  }
  close();
  return grouped;
}

function rejectionBatch(refusals: Outgoing[]): Outgoing {
  const digest = createHash("sha256");
  for (const { msgId } of refusals) digest.update(msgId).update("\n");
  const entries = refusals.map(
    ({ text, trace }) => `{"event":${text},"correlationId":${JSON.stringify(trace.correlationId)},"traceparent":${JSON.stringify(trace.traceparent)}}`,
  );
  return {
    subject: refusals[0]!.subject,
    type: "HoldRejectedBatch",
    text: `{"type":"HoldRejectedBatch","entries":[${entries.join(",")}]}`,
    msgId: `rejected:${digest.digest("base64url")}`,
    trace: refusals[0]!.trace,
  };
}

import { createHash } from "node:crypto";
import { MAX_COMMANDS_PER_BATCH } from "@rush/contracts";
import type { TraceContext } from "./headers.ts";

/** A batch message stays well under the 1 MiB message limit. */
export const MAX_BATCH_BYTES = 256 * 1024;

/** Splits `items` into runs, in order, of at most MAX_COMMANDS_PER_BATCH items and MAX_BATCH_BYTES of text. */
export function chunkBatches<T>(items: readonly T[], textOf: (item: T) => string): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = textOf(item).length;
    if (chunk.length > 0 && (chunk.length >= MAX_COMMANDS_PER_BATCH || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** One entry of a batch body: `{"<field>":<json>,"correlationId":…,"traceparent":…}`, the trace if there is one. */
export function tracedEntry(field: string, json: string, trace: TraceContext | undefined): string {
  return trace
    ? `{"${field}":${json},"correlationId":${JSON.stringify(trace.correlationId)},"traceparent":${JSON.stringify(trace.traceparent)}}`
    : `{"${field}":${json}}`;
}

/**
 * A batch's msg-id, named by exactly its members' ids: a re-publish of the same batch is dropped
 * by JetStream, a different batch that shares a member is not.
 */
export function batchMsgId(prefix: string, ids: Iterable<string>): string {
  const digest = createHash("sha256");
  for (const id of ids) digest.update(id).update("\n");
  return `${prefix}:${digest.digest("base64url")}`;
}

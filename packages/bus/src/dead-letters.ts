import type { JsMsg } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import { STREAMS, deadLetterSubject } from "@rush/contracts";
import type { Bus } from "./connection.ts";

/** Headers a parked message carries besides its own (which are copied unchanged). */
export const DEAD_LETTER_HEADERS = {
  stream: "rush-dead-stream",
  subject: "rush-dead-subject",
  seq: "rush-dead-seq",
  consumer: "rush-dead-consumer",
  reason: "rush-dead-reason",
  error: "rush-dead-error",
  attempts: "rush-dead-attempts",
} as const;

/** Why a message was parked: it broke the schema, failed permanently, or failed transiently too often. */
export type DeadLetterReason = "schema" | "permanent" | "exhausted";

const MAX_ERROR_CHARS = 2_000;

/** The error text a parked message carries: one line, bounded (a header, not a log). */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const cause = (error as { cause?: { message?: unknown } })?.cause?.message;
  const full = typeof cause === "string" && !text.includes(cause) ? `${text} (cause: ${cause})` : text;
  return full.replace(/[\r\n]+/g, " ").slice(0, MAX_ERROR_CHARS);
}

/**
 * Copies `msg` — payload and headers unchanged — to `dead.<consumer>` in DEAD_LETTERS with where
 * it came from and why, and resolves once JetStream stored it. The msg-id names the original
 * stream sequence, so parking the same delivery twice (a crash between the store and the term)
 * keeps one copy.
 */
export async function parkMessage(
  bus: Bus,
  msg: JsMsg,
  where: { stream: string; consumer: string },
  why: { reason: DeadLetterReason; error: string; attempts: number },
): Promise<void> {
  const h = natsHeaders();
  if (msg.headers) for (const [key, values] of msg.headers) for (const value of values) h.append(key, value);
  h.set(DEAD_LETTER_HEADERS.stream, where.stream);
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  h.set(DEAD_LETTER_HEADERS.seq, String(msg.seq));
  h.set(DEAD_LETTER_HEADERS.consumer, where.consumer);
  h.set(DEAD_LETTER_HEADERS.reason, why.reason);
  // A header is one line: a schema error (zod's, several lines) would make NATS refuse the header and the message would never be parked.
  h.set(DEAD_LETTER_HEADERS.error, why.error.replace(/[\r\n]+/g, " "));
  h.set(DEAD_LETTER_HEADERS.attempts, String(why.attempts));
  await bus.js.publish(deadLetterSubject(where.consumer), msg.data, {
    headers: h,
    msgID: `${where.stream}:${msg.seq}:${where.consumer}`,
    expect: { streamName: STREAMS.deadLetters },
  });
}

import type { PubAck } from "@nats-io/jetstream";
import type { z } from "zod";
import { encode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import { type TraceContext, headersFor } from "./headers.ts";

export interface PublishOptions {
  /** JetStream deduplicates on it within the stream's duplicate window: derive it from the command id. */
  msgId?: string;
  trace?: TraceContext;
  /** Message type name, copied into a header so `nats sub` shows it without decoding. */
  type?: string;
  /** Extra headers (e.g. where to reply). */
  headers?: Record<string, string>;
  /** Fail unless the stream's last sequence is this (optimistic concurrency). */
  expectLastSequence?: number;
}

/** Validates `value` against `schema` and publishes it to JetStream, waiting for the stream's ack. */
export function publish<S extends z.ZodType>(
  bus: Bus,
  subject: string,
  schema: S,
  value: z.input<S>,
  options: PublishOptions = {},
): Promise<PubAck> {
  const headers = headersFor(options.trace, options.type);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  return bus.js.publish(subject, encode(schema, value), {
    headers,
    ...(options.msgId ? { msgID: options.msgId } : {}),
    ...(options.expectLastSequence !== undefined ? { expect: { lastSequence: options.expectLastSequence } } : {}),
  });
}

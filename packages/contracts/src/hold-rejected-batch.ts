import { z } from "zod";
import { MAX_COMMANDS_PER_BATCH } from "./seat-command-batch.ts";
import { HoldRejected, SeatEvent } from "./seat-events.ts";

/** One refusal of a batch, with the trace of the request it answers. */
export const HoldRejectedEntry = z.object({
  event: HoldRejected,
  correlationId: z.string().min(1).max(200).optional(),
  traceparent: z.string().min(1).max(200).optional(),
});
export type HoldRejectedEntry = z.infer<typeof HoldRejectedEntry>;

/**
 * The refusals of one `SeatCommandBatch`, as one `seat.lock.failed.<p>` message. In a flash sale
 * most requests are refused; a refusal changes nothing and its asker already has the reply, so
 * the log records a batch's refusals together (one stored message, one PubAck) instead of one
 * message each. A message on that subject is either this or a single `HoldRejected`.
 */
export const HoldRejectedBatch = z.object({
  type: z.literal("HoldRejectedBatch"),
  entries: z.array(HoldRejectedEntry).min(1).max(MAX_COMMANDS_PER_BATCH),
});
export type HoldRejectedBatch = z.infer<typeof HoldRejectedBatch>;

/** The refusals a `seat.lock.failed.<p>` message holds (already JSON-parsed), in order; throws if it is neither shape. */
export function readHoldRejections(json: unknown): HoldRejectedEntry[] {
  const isBatch = typeof json === "object" && json !== null && (json as { type?: unknown }).type === "HoldRejectedBatch";
  return isBatch ? HoldRejectedBatch.parse(json).entries : [{ event: HoldRejected.parse(json) }];
}

/**
 * Every message a consumer of SEAT_EVENTS can be delivered: one `SeatEvent`, or (on
 * `seat.lock.failed.<p>`) a `HoldRejectedBatch`. Consumers of `seat.>` decode this, not
 * `SeatEvent` alone, so a batch of refusals is handled or explicitly ignored, never parked as poison.
 */
export const SeatStreamMessage = z.discriminatedUnion("type", [...SeatEvent.options, HoldRejectedBatch]);
export type SeatStreamMessage = z.infer<typeof SeatStreamMessage>;

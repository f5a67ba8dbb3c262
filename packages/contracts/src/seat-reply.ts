import { z } from "zod";
import { SeatEvent } from "./seat-events.ts";

/**
 * A seat actor's answer to one command: the events its decision produced (empty for a no-op,
 * e.g. an `ExpireHold` that found the hold extended). Sent over core NATS to whoever waits,
 * and kept in the command result store (Redis) for late or repeated askers.
 */
export const SeatReply = z.object({
  commandId: z.string(),
  partition: z.int().min(0),
  /** SEAT_COMMANDS stream sequence of the command. */
  seq: z.int().min(1),
  events: z.array(SeatEvent),
});
export type SeatReply = z.infer<typeof SeatReply>;

/** The answer to a `SeatCommandBatch`: one reply per command applied, in the batch's order. */
export const SeatReplyBatch = z.array(SeatReply);
export type SeatReplyBatch = z.infer<typeof SeatReplyBatch>;

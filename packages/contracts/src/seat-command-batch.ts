import { z } from "zod";
import { SeatCommand } from "./seat-commands.ts";

/** Most commands one SEAT_COMMANDS message may carry (~300 bytes each: well under 1 MiB). */
export const MAX_COMMANDS_PER_BATCH = 256;

/** One command of a batch, with the trace of the request that asked for it. */
export const SeatCommandBatchEntry = z.object({
  command: SeatCommand,
  correlationId: z.string().min(1).max(200).optional(),
  traceparent: z.string().min(1).max(200).optional(),
});
export type SeatCommandBatchEntry = z.infer<typeof SeatCommandBatchEntry>;

/**
 * Several commands for one partition in one `seat.cmd.<partition>` message. A busy gate
 * coalesces what it sends within one event-loop turn, so the log, the actor and the reply cost
 * one message instead of one per command. The actor applies the entries in order, each exactly
 * as if it had come alone (each still idempotent by its own `commandId`), and answers the
 * message with one `SeatReplyBatch`. A message is either this or a single `SeatCommand`.
 */
export const SeatCommandBatch = z.object({
  type: z.literal("SeatCommandBatch"),
  entries: z.array(SeatCommandBatchEntry).min(1).max(MAX_COMMANDS_PER_BATCH),
});
export type SeatCommandBatch = z.infer<typeof SeatCommandBatch>;

/** What a SEAT_COMMANDS message held: its valid commands in order, and why any others were refused. */
export interface SeatCommandMessage {
  batch: boolean;
  entries: SeatCommandBatchEntry[];
  poison: string[];
}

/**
 * Reads a SEAT_COMMANDS message body (already JSON-parsed). A batch's entries are checked one
 * by one, so one malformed entry is skipped as poison without losing its neighbours.
 */
export function readSeatCommandMessage(json: unknown): SeatCommandMessage {
  const isBatch = typeof json === "object" && json !== null && (json as { type?: unknown }).type === "SeatCommandBatch";
  if (!isBatch) {
    const parsed = SeatCommand.safeParse(json);
    return parsed.success ? { batch: false, entries: [{ command: parsed.data }], poison: [] } : { batch: false, entries: [], poison: [parsed.error.message] };
  }
  const raw = (json as { entries?: unknown }).entries;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_COMMANDS_PER_BATCH) {
    return { batch: true, entries: [], poison: [`a batch holds 1–${MAX_COMMANDS_PER_BATCH} entries`] };
  }
  const entries: SeatCommandBatchEntry[] = [];
  const poison: string[] = [];
  for (const entry of raw) {
    const parsed = SeatCommandBatchEntry.safeParse(entry);
    if (parsed.success) entries.push(parsed.data);
    else poison.push(parsed.error.message);
  }
  return { batch: true, entries, poison };
}

import { z } from "zod";
import { AreaId } from "./seat-inventory.ts";

/** Idempotency id of a command: derived from the client's Idempotency-Key, or a UUID. */
export const CommandId = z.string().min(1).max(128);
export const BuyerId = z.string().min(1).max(128);
/** Milliseconds since the Unix epoch. */
export const EpochMs = z.int().min(0);

/**
 * What every seat command carries (the seat and waiting-list commands alike): its idempotency id,
 * the session's area it is about (which picks its actor) and `now`: time enters the log on the
 * command, the engine never reads a clock. Not exported from the package: generic names belong
 * to whichever contract owns them.
 */
export const seatCommandBase = {
  commandId: CommandId,
  sessionId: z.uuid(),
  areaId: AreaId,
  now: EpochMs,
};

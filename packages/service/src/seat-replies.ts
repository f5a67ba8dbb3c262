import { SeatReply, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";

/**
 * Reads a command's stored outcome (the ticket actors write every reply to Redis), for the
 * seat command client: a re-sent load that JetStream deduplicated is answered from here.
 */
export const seatReplyLookup =
  (redis: Redis) =>
  async (commandId: string): Promise<SeatReply | null> => {
    const stored = await redis.get(redisKeys.commandResult(commandId));
    if (stored === null) return null;
    try {
      const parsed = SeatReply.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };

import type { SeatCommandClient, SeatOutcome } from "@rush/bus";
import type { SeatCommand } from "@rush/contracts";
import type { Redis } from "ioredis";

/** Who sent a command through this gate, so `GET /v1/commands/:id` answers its owner only. */
export interface CommandRecord {
  userId: string;
  kind: "hold" | "release";
  sessionId: string;
  areaId: string;
  holdId: string;
}

/** Tagged by the sender, whose other keys a script may touch in the same round trip. */
export const commandRecordKey = (userId: string, commandId: string) => `gate:cmd:{${userId}}:${commandId}`;

export interface SeatCommands {
  /**
   * Records the command's owner (unless `recorded`: the caller's own script wrote it), then
   * sends it and waits up to `timeoutMs`. Concurrent sends of one command id from this gate
   * share one wait (a client retrying while the first attempt is still in flight).
   */
  send(command: SeatCommand, record: CommandRecord, timeoutMs: number, recorded?: boolean): Promise<SeatOutcome>;
  /** The command's record, if `userId` sent it. */
  record(userId: string, commandId: string): Promise<CommandRecord | undefined>;
}

export function createSeatCommands(client: SeatCommandClient, redis: Redis, recordTtlMs: number): SeatCommands {
  const inFlight = new Map<string, Promise<SeatOutcome>>();
  return {
    async send(command, record, timeoutMs, recorded = false) {
      const running = inFlight.get(command.commandId);
      if (running) return running;
      // The record and the command go out together: nobody can ask about the command before
      // this request answers, and it answers only after both are done.
      const promise = Promise.all([
        recorded ? undefined : redis.set(commandRecordKey(record.userId, command.commandId), JSON.stringify(record), "PX", recordTtlMs),
        client.send(command, { timeoutMs }),
      ])
        .then(([, outcome]) => outcome)
        .finally(() => inFlight.delete(command.commandId));
      inFlight.set(command.commandId, promise);
      return promise;
    },
    async record(userId, commandId) {
      const text = await redis.get(commandRecordKey(userId, commandId));
      return text ? (JSON.parse(text) as CommandRecord) : undefined;
    },
  };
}

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

export const commandRecordKey = (commandId: string) => `gate:cmd:${commandId}`;

export interface SeatCommands {
  /**
   * Records the command's owner, then sends it and waits up to `timeoutMs`. Concurrent sends
   * of one command id from this gate share one wait (a client retrying while the first
   * attempt is still in flight).
   */
  send(command: SeatCommand, record: CommandRecord, timeoutMs: number): Promise<SeatOutcome>;
  record(commandId: string): Promise<CommandRecord | undefined>;
}

export function createSeatCommands(client: SeatCommandClient, redis: Redis, recordTtlMs: number): SeatCommands {
  const inFlight = new Map<string, Promise<SeatOutcome>>();
  return {
    async send(command, record, timeoutMs) {
      const running = inFlight.get(command.commandId);
      if (running) return running;
      // The record and the command go out together: nobody can ask about the command before
      // this request answers, and it answers only after both are done.
      const promise = Promise.all([
        redis.set(commandRecordKey(command.commandId), JSON.stringify(record), "PX", recordTtlMs),
        client.send(command, { timeoutMs }),
      ])
        .then(([, outcome]) => outcome)
        .finally(() => inFlight.delete(command.commandId));
      inFlight.set(command.commandId, promise);
      return promise;
    },
    async record(commandId) {
      const text = await redis.get(commandRecordKey(commandId));
      return text ? (JSON.parse(text) as CommandRecord) : undefined;
    },
  };
}

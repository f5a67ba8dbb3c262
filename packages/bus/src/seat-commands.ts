import { randomUUID } from "node:crypto";
import {
  DEFAULT_PARTITIONS,
  SeatCommand,
  SeatReply,
  partitionOf,
  seatCommandSubject,
} from "@rush/contracts";
import type { PubAck } from "@nats-io/jetstream";
import type { Subscription } from "@nats-io/transport-node";
import { decode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import type { TraceContext } from "./headers.ts";
import { publish } from "./publish.ts";

/** Header naming the core-NATS subject where the actor sends its `SeatReply`. */
export const REPLY_TO_HEADER = "rush-reply-to";

export type SeatOutcome =
  | { status: "done"; reply: SeatReply }
  /** No answer in time (or a duplicate whose first answer is not stored yet): ask again later by `commandId`. */
  | { status: "pending"; commandId: string; partition: number };

export interface SeatCommandClient {
  /**
   * Appends `command` to its partition's log (JetStream, msg-id = commandId, so a retry is
   * stored once) and waits up to `timeoutMs` for the actor's reply.
   */
  send(command: SeatCommand, options?: { timeoutMs?: number; trace?: TraceContext }): Promise<SeatOutcome>;
  /** Stops listening for replies; pending sends resolve as `pending`. */
  close(): Promise<void>;
}

export interface SeatCommandClientOptions {
  partitions?: number;
  /** Unique per process: replies come back on `seat.reply.<clientId>.>`. */
  clientId?: string;
  /** Reads a stored outcome (the actor writes every reply to the result store). */
  lookup?: (commandId: string) => Promise<SeatReply | null>;
  defaultTimeoutMs?: number;
}

export async function createSeatCommandClient(bus: Bus, options: SeatCommandClientOptions = {}): Promise<SeatCommandClient> {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const clientId = options.clientId ?? randomUUID().replaceAll("-", "");
  const waiting = new Map<string, (reply: SeatReply | null) => void>();
  const sub: Subscription = bus.nc.subscribe(`seat.reply.${clientId}.>`, {
    callback: (error, msg) => {
      if (error) return;
      const decoded = decode(SeatReply, msg.data);
      if (!decoded.ok) return;
      waiting.get(decoded.value.commandId)?.(decoded.value);
    },
  });
  await bus.nc.flush();

  const wait = (commandId: string, timeoutMs: number) =>
    new Promise<SeatReply | null>((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (reply: SeatReply | null) => {
        clearTimeout(timer);
        waiting.delete(commandId);
        resolve(reply);
      };
      waiting.set(commandId, done);
    });

  return {
    async send(command, sendOptions = {}) {
      const parsed = SeatCommand.parse(command);
      const partition = partitionOf(parsed.sessionId, parsed.areaId, partitions);
      const { commandId } = parsed;
      if (waiting.has(commandId)) throw new Error(`command ${commandId} is already in flight from this client`);
      // Listen before publishing: a fast actor may answer before the publish ack arrives.
      const replied = wait(commandId, sendOptions.timeoutMs ?? options.defaultTimeoutMs ?? 2000);
      let ack: PubAck;
      try {
        ack = await publish(bus, seatCommandSubject(partition), SeatCommand, parsed, {
          msgId: commandId,
          type: parsed.type,
          ...(sendOptions.trace ? { trace: sendOptions.trace } : {}),
          headers: { [REPLY_TO_HEADER]: `seat.reply.${clientId}.${commandId}` },
        });
      } catch (error) {
        waiting.get(commandId)?.(null);
        throw error;
      }
      if (ack.duplicate) {
        // Deduplicated by JetStream: the actor answers the first copy only, so ask the result store.
        waiting.get(commandId)?.(null);
        const stored = await options.lookup?.(commandId);
        return stored ? { status: "done", reply: stored } : { status: "pending", commandId, partition };
      }
      const reply = (await replied) ?? (await options.lookup?.(commandId)) ?? null;
      return reply ? { status: "done", reply } : { status: "pending", commandId, partition };
    },
    async close() {
      for (const done of [...waiting.values()]) done(null);
      sub.unsubscribe();
    },
  };
}

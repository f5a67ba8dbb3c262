import { randomUUID } from "node:crypto";
import {
  DEFAULT_PARTITIONS,
  SeatCommand,
  SeatReply,
  partitionOf,
  seatCommandSubject,
} from "@rush/contracts";
import type { Subscription } from "@nats-io/transport-node";
import { decode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import { type TraceContext, headersFor } from "./headers.ts";
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
   * stored once) and waits up to `timeoutMs` for the actor's reply. The reply doubles as the
   * acknowledgement; without one in time the command is re-published with a PubAck awaited, so
   * a `pending` outcome always means the command is in the log.
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
  /**
   * Ask the result store before sending (default true): a re-sent command that JetStream would
   * deduplicate is answered at once. Off where the caller has its own replay store (the gate's
   * Idempotency-Key records), which saves a round trip per command.
   */
  lookupFirst?: boolean;
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
      const subject = seatCommandSubject(partition);
      const { commandId } = parsed;
      if (waiting.has(commandId)) throw new Error(`command ${commandId} is already in flight from this client`);
      // A retry of a command already decided is answered from the result store: the stream would
      // drop the copy as a duplicate and the actor would never see it.
      const known = options.lookupFirst === false ? null : await options.lookup?.(commandId);
      if (known) return { status: "done", reply: known };
      const replyTo = `seat.reply.${clientId}.${commandId}`;
      const timeoutMs = sendOptions.timeoutMs ?? options.defaultTimeoutMs ?? 2000;
      // Listen before publishing: a fast actor may answer at once.
      const replied = wait(commandId, timeoutMs);

      // Fast path: the stream stores a plain publish too; the actor's reply is the acknowledgement.
      const headers = headersFor(sendOptions.trace, parsed.type);
      headers.set(REPLY_TO_HEADER, replyTo);
      headers.set("Nats-Msg-Id", commandId);
      // Already parsed above: encoding it through the schema again would validate it twice.
      bus.nc.publish(subject, JSON.stringify(parsed), { headers });
      const reply = await replied;
      if (reply) return { status: "done", reply };

      // Slow path: no answer in time. Make sure the command is in the log (acked; JetStream
      // dedupes it by msg-id if the first copy landed), then see whether its outcome is stored.
      await publish(bus, subject, SeatCommand, parsed, {
        msgId: commandId,
        type: parsed.type,
        ...(sendOptions.trace ? { trace: sendOptions.trace } : {}),
        headers: { [REPLY_TO_HEADER]: replyTo },
      });
      const stored = await options.lookup?.(commandId);
      return stored ? { status: "done", reply: stored } : { status: "pending", commandId, partition };
    },
    async close() {
      for (const done of [...waiting.values()]) done(null);
      sub.unsubscribe();
    },
  };
}

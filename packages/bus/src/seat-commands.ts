import { randomUUID } from "node:crypto";
import {
  DEFAULT_PARTITIONS,
  SeatCommand,
  type SeatReply,
  partitionOf,
  seatCommandSubject,
} from "@rush/contracts";
import type { Subscription } from "@nats-io/transport-node";
import { createAsyncPublisher } from "./async-publisher.ts";
import { MAX_BATCH_BYTES, batchMsgId, chunkBatches, tracedEntry } from "./batch-framing.ts";
import { type Bus, socketOf } from "./connection.ts";
import { sendTurnNow } from "./cork-turns.ts";
import { type TraceContext, headersFor } from "./headers.ts";
import { publish } from "./publish.ts";

/** Header naming the core-NATS subject where the actor sends its `SeatReply`. */
export const REPLY_TO_HEADER = "rush-reply-to";

/**
 * On a command message: "send me your times" (the client's `hopTimes`). On its reply: the actor's
 * wall-clock milliseconds `stored,received,turn,replied` (the stream storing the message, the
 * worker receiving it, the actor's turn beginning, the reply going out).
 */
export const HOP_TIMES_HEADER = "rush-hop-times";

/** Where a command's time went after it left the sender, as wall-clock milliseconds. */
export interface HopTimes {
  /** The client handed it to NATS (its turn's flush). */
  sent: number;
  stored: number;
  received: number;
  turn: number;
  replied: number;
  /** The client had the reply. */
  answered: number;
}

/** Reads the actor's `stored,received,turn,replied` header; undefined unless it is four numbers. */
export function hopTimesOf(header: string | undefined, sent: number, answered: number): HopTimes | undefined {
  const parts = header?.split(",").map(Number);
  if (parts?.length !== 4 || !parts.every(Number.isFinite)) return undefined;
  const [stored, received, turn, replied] = parts as [number, number, number, number];
  return { sent, stored, received, turn, replied, answered };
}

export type SeatOutcome =
  | { status: "done"; reply: SeatReply; hops?: HopTimes }
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
  /**
   * Coalesce commands for one partition sent within one event-loop turn into one
   * `SeatCommandBatch` message (default true). Under load the log, the actor and the replies
   * then cost one message per batch instead of one per command; a lone command goes alone.
   */
  coalesce?: boolean;
  /**
   * Parse every command with its zod schema before sending (default true). Off where the caller
   * builds commands only from input it has already validated (the gate: zod-checked requests),
   * which spares a second parse per command.
   */
  parseCommands?: boolean;
  /**
   * Ask the actor for its hop times (`HOP_TIMES_HEADER`) and hand them on with each reply
   * (default false): the gate's `Server-Timing`, for finding where a slow hold waited.
   */
  hopTimes?: boolean;
}

const encoder = new TextEncoder();

/**
 * A reply's shape, checked without a full zod parse: replies are written by the seat actor from
 * its own typed events, and only the ticket service may publish on `seat.reply.>` (NATS
 * permissions), while a zod parse of every reply cost the gate more than any other check of a
 * hold. Anything else (not ours, truncated) is dropped; its sender falls back to the result store.
 */
export function asReply(value: unknown): SeatReply | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { commandId, events } = value as { commandId?: unknown; events?: unknown };
  if (typeof commandId !== "string" || !Array.isArray(events)) return undefined;
  for (const event of events as unknown[]) {
    if (typeof event !== "object" || event === null || typeof (event as { type?: unknown }).type !== "string") return undefined;
  }
  return value as SeatReply;
}

interface Queued {
  command: SeatCommand;
  /** The command as JSON, encoded once. */
  text: string;
  trace: TraceContext | undefined;
  replyTo: string;
  /** Resolves true once JetStream acknowledged the batch holding it; false when it went alone or the batch failed. */
  landed: (acked: boolean) => void;
  /** When its turn's flush handed it to NATS (wall clock, ms; with `hopTimes` only). */
  sentAt?: number;
}

/** An actor's reply as it arrived: with the hop-times header's text and the arrival time when asked for. */
interface Arrival {
  reply: SeatReply;
  hops?: { header: string | undefined; at: number };
}

export async function createSeatCommandClient(bus: Bus, options: SeatCommandClientOptions = {}): Promise<SeatCommandClient> {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const clientId = options.clientId ?? randomUUID().replaceAll("-", "");
  const waiting = new Map<string, (arrival: Arrival | null) => void>();
  const batchReplyTo = `seat.reply.${clientId}.batch`;
  const hopTimes = options.hopTimes === true;
  const deliver = (value: unknown, hops: Arrival["hops"]) => {
    const reply = asReply(value);
    if (reply) waiting.get(reply.commandId)?.(hops ? { reply, hops } : { reply });
  };
  const sub: Subscription = bus.nc.subscribe(`seat.reply.${clientId}.>`, {
    callback: (error, msg) => {
      if (error) return;
      let body: unknown;
      try {
        body = msg.json();
      } catch {
        return;
      }
      const hops = hopTimes ? { header: msg.headers?.get(HOP_TIMES_HEADER) || undefined, at: Date.now() } : undefined;
      // A batch is answered with one array of replies, a lone command with its reply.
      if (Array.isArray(body)) for (const reply of body) deliver(reply, hops);
      else deliver(body, hops);
    },
  });
  await bus.nc.flush();
  const publisher = createAsyncPublisher(bus);

  const publishAlone = (subject: string, item: Queued) => {
    // Fast path: the stream stores a plain publish too; the actor's reply is the acknowledgement.
    const headers = headersFor(item.trace, item.command.type);
    headers.set(REPLY_TO_HEADER, item.replyTo);
    headers.set("Nats-Msg-Id", item.command.commandId);
    if (hopTimes) {
      headers.set(HOP_TIMES_HEADER, "?");
      item.sentAt = Date.now();
    }
    bus.nc.publish(subject, item.text, { headers });
    item.landed(false);
  };

  const publishBatch = (subject: string, items: Queued[]) => {
    const entries = items.map(({ text, trace }) => tracedEntry("command", text, trace));
    const headers = headersFor(items[0]!.trace, "SeatCommandBatch");
    headers.set(REPLY_TO_HEADER, batchReplyTo);
    if (hopTimes) {
      headers.set(HOP_TIMES_HEADER, "?");
      const sentAt = Date.now();
      for (const item of items) item.sentAt = sentAt;
    }
    // Acked: one PubAck per batch tells every command in it that it is in the log.
    publisher
      .publish(subject, encoder.encode(`{"type":"SeatCommandBatch","entries":[${entries.join(",")}]}`), {
        // A command shared with a different batch is not dropped: the engine answers its copy as a duplicate.
        msgId: batchMsgId("batch", items.map(({ command }) => command.commandId)),
        headers,
      })
      .then(
        () => {
          for (const item of items) item.landed(true);
        },
        () => {
          for (const item of items) item.landed(false);
        },
      );
  };

  const queues = new Map<number, Queued[]>();
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    for (const [partition, items] of queues) {
      queues.delete(partition);
      const subject = seatCommandSubject(partition);
      // A big command (a LoadInventory) goes alone.
      const small: Queued[] = [];
      for (const item of items) {
        if (item.text.length > MAX_BATCH_BYTES / 4) publishAlone(subject, item);
        else small.push(item);
      }
      for (const chunk of chunkBatches(small, (item) => item.text)) {
        if (chunk.length === 1) publishAlone(subject, chunk[0]!);
        else publishBatch(subject, chunk);
      }
    }
    // The flush is the turn's last writer (it runs in setImmediate): its commands go out once the
    // client has written them (a microtask, queued before this one), not a loop iteration later.
    queueMicrotask(() => {
      const socket = socketOf(bus.nc);
      if (socket) sendTurnNow(socket);
    });
  };
  /** Queues a command for this turn's flush; resolves whether a batch PubAck put it in the log. */
  const enqueue = (partition: number, item: Omit<Queued, "landed">) =>
    new Promise<boolean>((landed) => {
      const queue = queues.get(partition) ?? [];
      queues.set(partition, queue);
      // The item itself, not a copy: the flush stamps its `sentAt` for the sender.
      const queued = item as Queued;
      queued.landed = landed;
      queue.push(queued);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });

  const wait = (commandId: string, timeoutMs: number) =>
    new Promise<Arrival | null>((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (arrival: Arrival | null) => {
        clearTimeout(timer);
        waiting.delete(commandId);
        resolve(arrival);
      };
      waiting.set(commandId, done);
    });

  return {
    async send(command, sendOptions = {}) {
      const parsed = options.parseCommands === false ? command : SeatCommand.parse(command);
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

      // Already parsed above: encoding it through the schema again would validate it twice.
      const item: Omit<Queued, "landed"> = { command: parsed, text: JSON.stringify(parsed), trace: sendOptions.trace, replyTo };
      let landed: Promise<boolean>;
      if (options.coalesce === false) {
        landed = Promise.resolve(false);
        publishAlone(subject, Object.assign(item, { landed: () => {} }));
      } else landed = enqueue(partition, item);
      const arrival = await replied;
      if (arrival) {
        const hops = arrival.hops && item.sentAt !== undefined ? hopTimesOf(arrival.hops.header, item.sentAt, arrival.hops.at) : undefined;
        return hops ? { status: "done", reply: arrival.reply, hops } : { status: "done", reply: arrival.reply };
      }

      // Slow path: no answer in time. Make sure the command is in the log — a batch's PubAck
      // already said so; a lone command is published again, acked (JetStream dedupes it by
      // msg-id if the first copy landed) — then see whether its outcome is stored.
      if (!(await landed)) await publish(bus, subject, SeatCommand, parsed, {
        msgId: commandId,
        type: parsed.type,
        ...(sendOptions.trace ? { trace: sendOptions.trace } : {}),
        headers: { [REPLY_TO_HEADER]: replyTo },
      });
      const stored = await options.lookup?.(commandId);
      return stored ? { status: "done", reply: stored } : { status: "pending", commandId, partition };
    },
    async close() {
      // Commands queued this turn still go out: their senders fall back to the slow path below.
      if (flushScheduled) flush();
      for (const done of [...waiting.values()]) done(null);
      sub.unsubscribe();
      publisher.close();
    },
  };
}

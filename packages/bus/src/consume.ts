import type { JsMsg } from "@nats-io/jetstream";
import type { z } from "zod";
import { decode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import { type DeadLetterReason, errorText, parkMessage } from "./dead-letters.ts";
import { type FailureKind, classifyFailure, retryDelayMs } from "./failures.ts";
import { renewingMessages } from "./consumer-renewal.ts";
import { type TraceContext, traceContextOf } from "./headers.ts";
import { messageQueue } from "./message-queue.ts";

/** The slice of a pino logger the bus uses. */
export interface BusLogger {
  info?(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What became of one delivery: handled, redelivered later, or parked in DEAD_LETTERS. */
export type ConsumeOutcome = { kind: "handled" } | { kind: "retried" } | { kind: "parked"; reason: DeadLetterReason };

export interface ConsumeOptions<T> {
  stream: string;
  /** An existing durable consumer (see `nats/consumers`). */
  consumer: string;
  schema: z.ZodType<T>;
  handle: (value: T, ctx: TraceContext, msg: JsMsg) => Promise<void>;
  logger: BusLogger;
  /** Deliveries a transiently failing message gets before it is parked (default 20, ≈ 75 s of retries). */
  maxDeliver?: number;
  /** How many messages the client keeps buffered. */
  maxMessages?: number;
  /** Messages handled at once (default 1). Messages with the same `keyOf` are handled one after another, in order. */
  concurrency?: number;
  keyOf?: (value: T) => string | undefined;
  /** Which failures are permanent (parked at once); default: only a `PermanentFailure`. */
  classify?: (error: unknown) => FailureKind;
  /** Told every delivery's outcome (metrics). */
  onOutcome?: (outcome: ConsumeOutcome) => void;
  /** Told each time the consumer is read through a fresh pull after a NATS reconnect (metrics). */
  onRenewed?: () => void;
}

export interface Consumption {
  /** Stops pulling, lets the messages in hand finish, and resolves when the loop has ended. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

/**
 * Runs a durable pull consumer through a typed handler, so that no message can hold back the
 * ones behind it: a message that fails its schema or fails permanently is parked in
 * DEAD_LETTERS at once; one that fails transiently is redelivered with a backoff capped at a few
 * seconds, and parked after `maxDeliver` deliveries. Nothing is dropped silently: a message is
 * only terminated once its dead letter is stored (otherwise it is redelivered).
 */
export async function consume<T>(bus: Bus, options: ConsumeOptions<T>): Promise<Consumption> {
  const { consumer: name, logger } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const { park, settle } = deliveries(bus, options);
  // Every pull (a fresh one and the one it replaced) feeds this one queue, in arrival order.
  const queue = messageQueue<JsMsg>();
  const renewing = await renewingMessages(bus, {
    stream: options.stream,
    consumer: name,
    logger,
    maxMessages: options.maxMessages ?? Math.max(256, concurrency * 4),
    deliver: (msg) => queue.push(msg),
    ...(options.onRenewed ? { onRenewed: options.onRenewed } : {}),
  });
  // Ended by `stop` or by the client (connection closed): the loop takes what is queued, then ends.
  void renewing.closed.then(() => queue.end());

  const inflight = new Set<Promise<void>>();
  const lanes = new Map<string, Promise<void>>();
  const track = (task: Promise<void>, key?: string) => {
    const tracked = task.catch((error) => logger.error({ err: error, consumer: name }, "consumer task failed"));
    inflight.add(tracked);
    if (key !== undefined) lanes.set(key, tracked);
    void tracked.finally(() => {
      inflight.delete(tracked);
      if (key !== undefined && lanes.get(key) === tracked) lanes.delete(key);
    });
  };

  const done = (async () => {
    for await (const msg of queue) {
      while (inflight.size >= concurrency) await Promise.race(inflight);
      const decoded = decode(options.schema, msg.data);
      if (!decoded.ok) {
        track(park(msg, "schema", decoded.error.slice(0, 2_000)));
        continue;
      }
      const key = options.keyOf?.(decoded.value);
      const before = key === undefined ? undefined : lanes.get(key);
      track(before ? before.then(() => settle(msg, decoded.value)) : settle(msg, decoded.value), key);
    }
    await Promise.all(inflight);
  })();
  return {
    done,
    stop: async () => {
      renewing.stop();
      queue.end();
      await done;
    },
  };
}

/**
 * What to do with one delivery, shared by `consume` and `consumeBatches`: `settle` runs the
 * handler and acks, retries a transient failure with backoff, and parks a permanent or
 * exhausted one; `park` stores a dead letter and only then terminates the message.
 */
export function deliveries<T>(bus: Bus, options: ConsumeOptions<T>) {
  const { stream, consumer: name, logger } = options;
  const maxDeliver = options.maxDeliver ?? 20;
  const classify = options.classify ?? classifyFailure;
  const report = options.onOutcome ?? (() => {});

  const park = async (msg: JsMsg, reason: DeadLetterReason, error: string) => {
    const attempts = msg.info.deliveryCount;
    try {
      await parkMessage(bus, msg, { stream, consumer: name }, { reason, error, attempts });
    } catch (parkError) {
      logger.warn({ subject: msg.subject, seq: msg.seq, err: parkError }, "could not park a message; will retry");
      msg.nak(retryDelayMs(attempts));
      report({ kind: "retried" });
      return;
    }
    logger.error({ subject: msg.subject, seq: msg.seq, consumer: name, reason, attempts, error }, "message parked in DEAD_LETTERS");
    // No reason argument: nats-server 2.9 ignores `+TERM <reason>` (2.10+ syntax) and would redeliver.
    msg.term();
    report({ kind: "parked", reason });
  };

  const settle = async (msg: JsMsg, value: T) => {
    try {
      await options.handle(value, traceContextOf(msg.headers), msg);
      msg.ack();
      report({ kind: "handled" });
      return;
    } catch (error) {
      const attempt = msg.info.deliveryCount;
      if (classify(error) === "permanent") return park(msg, "permanent", errorText(error));
      if (attempt >= maxDeliver) return park(msg, "exhausted", errorText(error));
      logger.warn({ subject: msg.subject, seq: msg.seq, attempt, err: error }, "handler failed; will retry");
      msg.nak(retryDelayMs(attempt));
      report({ kind: "retried" });
    }
  };

  /**
   * Parks many messages together: every dead letter in flight at once, then one log line, so a
   * flood of unprocessable messages costs a publish each, not a round trip each in a row. A
   * message whose dead letter could not be stored is redelivered, as with `park`.
   */
  const parkAll = async (parked: { msg: JsMsg; reason: DeadLetterReason; error: string }[]) => {
    const stored = await Promise.allSettled(
      parked.map(({ msg, reason, error }) => parkMessage(bus, msg, { stream, consumer: name }, { reason, error, attempts: msg.info.deliveryCount })),
    );
    let failed = 0;
    stored.forEach((result, i) => {
      const { msg, reason } = parked[i]!;
      if (result.status === "fulfilled") {
        msg.term();
        report({ kind: "parked", reason });
      } else {
        failed++;
        msg.nak(retryDelayMs(msg.info.deliveryCount));
        report({ kind: "retried" });
      }
    });
    const first = parked[0];
    if (first) {
      logger.error(
        { consumer: name, count: parked.length - failed, notStored: failed, reason: first.reason, error: first.error, seqs: parked.slice(0, 20).map((p) => p.msg.seq) },
        "messages parked in DEAD_LETTERS",
      );
    }
  };

  return { park, parkAll, settle, report };
}

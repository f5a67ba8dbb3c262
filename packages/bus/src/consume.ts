import type { JsMsg } from "@nats-io/jetstream";
import type { z } from "zod";
import { decode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import { type TraceContext, traceContextOf } from "./headers.ts";

/** The slice of a pino logger the bus uses. */
export interface BusLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ConsumeOptions<T> {
  stream: string;
  /** An existing durable consumer (see `nats/consumers`). */
  consumer: string;
  schema: z.ZodType<T>;
  handle: (value: T, ctx: TraceContext, msg: JsMsg) => Promise<void>;
  logger: BusLogger;
  /** After this many failed deliveries the message is terminated and logged, never retried forever. */
  maxDeliver?: number;
  /** How many messages the client keeps buffered. */
  maxMessages?: number;
}

export interface Consumption {
  /** Stops pulling, lets the message in hand finish, and resolves when the loop has ended. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

/**
 * Runs a durable pull consumer through a typed handler: a message that fails its schema is
 * terminated at once (poison); one whose handler throws is redelivered with backoff until
 * `maxDeliver`, then terminated.
 */
export async function consume<T>(bus: Bus, options: ConsumeOptions<T>): Promise<Consumption> {
  const maxDeliver = options.maxDeliver ?? 5;
  const consumer = await bus.js.consumers.get(options.stream, options.consumer);
  const messages = await consumer.consume({ max_messages: options.maxMessages ?? 256 });
  const done = (async () => {
    for await (const msg of messages) {
      const decoded = decode(options.schema, msg.data);
      if (!decoded.ok) {
        options.logger.error({ subject: msg.subject, seq: msg.seq, error: decoded.error }, "poison message terminated");
        // No reason argument: nats-server 2.9 ignores `+TERM <reason>` (2.10+ syntax) and would redeliver.
        msg.term();
        continue;
      }
      try {
        await options.handle(decoded.value, traceContextOf(msg.headers), msg);
        msg.ack();
      } catch (error) {
        const attempt = msg.info.deliveryCount;
        if (attempt >= maxDeliver) {
          options.logger.error({ subject: msg.subject, seq: msg.seq, attempt, err: error }, "message failed too often; terminated");
          msg.term();
        } else {
          options.logger.warn({ subject: msg.subject, seq: msg.seq, attempt, err: error }, "handler failed; will retry");
          msg.nak(Math.min(30_000, 250 * 2 ** attempt));
        }
      }
    }
  })();
  return {
    done,
    stop: async () => {
      messages.stop();
      await done;
    },
  };
}

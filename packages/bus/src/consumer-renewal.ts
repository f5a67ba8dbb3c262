import { type ConsumeOptions as PullOptions, type ConsumerMessages, jetstream } from "@nats-io/jetstream";
import type { Status } from "@nats-io/transport-node";
import type { Bus } from "./connection.ts";
import type { BusLogger } from "./consume.ts";

/**
 * Each ask for the consumer while JetStream comes back gives up after this (the client's default
 * is 5 s): a request sent before the stream or consumer has a leader again is never answered.
 */
const RENEW_TIMEOUT_MS = 1_500;
/** Asked again after 250 ms, 500 ms, then every second until the consumer answers. */
const RENEW_BACKOFF_MS = [250, 500, 1_000];
/**
 * Each pull lasts 5 s (the client's default is 30 s), so the server's idle heartbeats come every
 * 2.5 s and a pull that went nowhere (sent while the consumer had no leader) shows as two missed
 * heartbeats within 5 s instead of 30 s. Costs one pull request per consumer every 5 s when idle.
 */
const PULL_EXPIRES_MS = 5_000;

export interface RenewingMessagesOptions {
  stream: string;
  consumer: string;
  logger: BusLogger;
  /** The client's consume options (batch size, callback); `expires` is set here. */
  pull: Omit<PullOptions, "expires" | "idle_heartbeat">;
  /** Told each time the messages are read through a fresh pull (metrics). */
  onRenewed?: () => void;
}

/** A durable consumer's messages, read through a fresh pull after every NATS reconnect or silence. */
export interface RenewingMessages {
  /** The messages being read now; replaced (and the old ones stopped) after a reconnect. */
  readonly current: ConsumerMessages;
  /** Stops renewing and stops the current messages. */
  stop(): void;
}

/**
 * After a NATS reconnect the JetStream client checks the consumer's info before it pulls again,
 * and when that first check fails (JetStream still starting after a nats-server restart, a
 * cluster electing its leaders) it waits 15–45 s before checking again: the consumer stands still
 * that long (issue 13: a whole sale stood still 20 s). So on every reconnect this asks for the
 * consumer itself, with a short timeout and every second at most, and as soon as it answers reads
 * on through a fresh pull and stops the old one. Nothing is lost or read twice by it: the old
 * messages' buffer is read to its end first (`stop` ends the iterator after what it holds), and a
 * durable consumer redelivers only what was delivered and not acked, after its ack wait. Two missed
 * heartbeats (a pull lost while a cluster moved the consumer's leader) renew it the same way.
 */
export async function renewingMessages(bus: Bus, options: RenewingMessagesOptions): Promise<RenewingMessages> {
  const { stream, consumer: name, logger } = options;
  const open = async (consumer: Awaited<ReturnType<Bus["js"]["consumers"]["get"]>>) => {
    const messages = await consumer.consume({ ...options.pull, expires: PULL_EXPIRES_MS } as PullOptions);
    void watch(messages);
    return messages;
  };
  let current: ConsumerMessages;
  let stopped = false;
  let renewing: Promise<void> | undefined;
  let again = false;

  const renewOnce = async () => {
    const js = jetstream(bus.nc, { timeout: RENEW_TIMEOUT_MS });
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const next = await open(await js.consumers.get(stream, name));
        if (stopped) {
          next.stop();
          return;
        }
        const old = current;
        current = next;
        old.stop();
        options.onRenewed?.();
        logger.info?.({ stream, consumer: name, attempt }, "consumer renewed: reading on through a fresh pull");
        return;
      } catch (error) {
        logger.warn({ stream, consumer: name, attempt, err: error }, "consumer not renewed yet: asking again");
        await new Promise((r) => setTimeout(r, RENEW_BACKOFF_MS[Math.min(attempt, RENEW_BACKOFF_MS.length - 1)]));
      }
    }
  };
  const renew = () => {
    // A reconnect during a renewal renews once more after it: the pull it made may be lost too.
    if (renewing) {
      again = true;
      return;
    }
    renewing = (async () => {
      do {
        again = false;
        await renewOnce();
      } while (again && !stopped);
    })().finally(() => {
      renewing = undefined;
    });
  };

  /**
   * Two missed heartbeats: the pull went nowhere (the consumer's leader moved or was not elected
   * yet when it was sent). The client's own recovery checks the consumer's info and, if that
   * fails, waits 2.5–7.5 s (its backoff is the pull's expiry with jitter): renew as after a reconnect.
   */
  async function watch(messages: ConsumerMessages): Promise<void> {
    // Ends by itself when these messages are stopped (replaced or `stop`): their listeners stop too.
    for await (const status of messages.status()) {
      if (stopped) return;
      if (status.type === "heartbeats_missed" && status.count >= 2) {
        logger.warn({ stream, consumer: name, missed: status.count }, "consumer silent: reading on through a fresh pull");
        renew();
        return;
      }
    }
  }
  current = await open(await bus.js.consumers.get(stream, name));

  // The client's status iterator has `stop` (a QueuedIterator); the interface names only the iteration.
  const statuses = bus.nc.status() as AsyncIterable<Status> & { stop(): void };
  void (async () => {
    for await (const status of statuses) {
      if (stopped) return;
      if (status.type === "reconnect") renew();
    }
  })();

  return {
    get current() {
      return current;
    },
    stop() {
      stopped = true;
      statuses.stop();
      current.stop();
    },
  };
}

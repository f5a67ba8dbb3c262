import { type ConsumerMessages, type JsMsg, jetstream } from "@nats-io/jetstream";
import type { Status } from "@nats-io/transport-node";
import type { Bus } from "./connection.ts";
import type { BusLogger } from "./consume.ts";
import { PULL_WINDOW } from "./pull-window.ts";
import { FROM_SERVER, QuietSpell } from "./starved-consumer.ts";

/**
 * Each ask for the consumer while JetStream comes back gives up after this (the client's default
 * is 5 s): a request sent before the stream or consumer has a leader again is never answered.
 */
const RENEW_TIMEOUT_MS = 1_500;
/** Asked again after 250 ms, 500 ms, then every second until the consumer answers. */
const RENEW_BACKOFF_MS = [250, 500, 1_000];
const { expiresMs: PULL_EXPIRES_MS, heartbeatMs: PULL_HEARTBEAT_MS } = PULL_WINDOW;
/**
 * How long a replaced pull is still listened to: its last request may be open at the server for
 * PULL_EXPIRES_MS after it got there, and the server delivers to it until then. The margin covers
 * a request that reached a loaded server (or a consumer leader across a route) late.
 */
const RETIRE_AFTER_MS = PULL_EXPIRES_MS + 2_000;
/** How often a consumer looks for a quiet spell (starved-consumer.ts): half a heartbeat at most added to noticing one. */
const STARVED_CHECK_MS = PULL_HEARTBEAT_MS / 2;

type DurableConsumer = Awaited<ReturnType<Bus["js"]["consumers"]["get"]>>;

export interface RenewingMessagesOptions {
  stream: string;
  consumer: string;
  logger: BusLogger;
  /** How many messages the client keeps asked for; `expires` and the heartbeats are set here. */
  maxMessages: number;
  /** Every message, from whichever pull it came through, in the order the connection got them. */
  deliver: (msg: JsMsg) => void;
  /** Told each time the messages are read through a fresh pull (metrics). */
  onRenewed?: () => void;
}

/** A durable consumer's messages, read through a fresh pull after every NATS reconnect or silence. */
export interface RenewingMessages {
  /** Resolves once the messages end: `stop`, or the client ended them (connection closed). */
  readonly closed: Promise<void>;
  /** Stops renewing and stops every pull at once (what the server still sends comes back after the ack wait). */
  stop(): void;
}

/**
 * After a NATS reconnect the JetStream client checks the consumer's info before it pulls again,
 * and when that first check fails (JetStream still starting after a nats-server restart, a
 * cluster electing its leaders) it waits 2.5–7.5 s (15–45 s with its default pull) before
 * checking again. So on every reconnect, and on two missed heartbeats (a pull lost while a
 * cluster moved the consumer's leader), this asks for the consumer itself, with a short timeout
 * and every second at most, and as soon as it answers reads on through a fresh pull.
 *
 * The old pull is retired, not stopped: the client's own recovery of it re-pulls at the same
 * moment (it sees the same reconnect or silence), and the server delivers to that request until
 * it expires. Stopping the old messages unsubscribes their inbox at once, so whatever the server
 * had sent or still sent there was dropped by the client yet counted as delivered, and came back
 * only after the consumer's ack wait (30 s): on the cluster, orders opened that late and pays gave
 * up with 503 `order_pending`. A retired pull asks for nothing more and is listened to until its
 * last request has expired; both pulls deliver to `deliver` over one connection, in the order
 * the server sent them, and the server sends each message to one pull only.
 */
export async function renewingMessages(bus: Bus, options: RenewingMessagesOptions): Promise<RenewingMessages> {
  const { stream, consumer: name, logger } = options;
  let current: ConsumerMessages;
  /** The consumer `current` pulls from, asked about itself after a quiet spell. */
  let currentConsumer: DurableConsumer;
  /** The current pull's quiet spells (a message or a server status ends one). */
  const quiet = new QuietSpell(Date.now());
  const heard = () => quiet.heard(Date.now());
  /** Each retired pull's stop timer, and what it handed on meanwhile: what stopping it at once would have dropped. */
  const retiring = new Map<ConsumerMessages, { timer: ReturnType<typeof setTimeout>; handedOn: number }>();
  let stopped = false;
  let renewing: Promise<void> | undefined;
  let again = false;
  let ended: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    ended = resolve;
  });

  const open = async (consumer: DurableConsumer) => {
    let self: ConsumerMessages | undefined;
    const deliver = (msg: JsMsg) => {
      const retired = self && retiring.get(self);
      if (retired) retired.handedOn++;
      else heard();
      options.deliver(msg);
    };
    const messages = await consumer.consume({ max_messages: options.maxMessages, expires: PULL_EXPIRES_MS, idle_heartbeat: PULL_HEARTBEAT_MS, callback: deliver });
    self = messages;
    void watch(messages);
    // Replaced messages close later, on retirement: only the current ones closing ends the consumption.
    void messages.closed().then(() => {
      if (messages === current) ended();
    });
    return messages;
  };

  const retire = (old: ConsumerMessages) => {
    if (!stopPulling(old)) {
      logger.warn({ stream, consumer: name }, "cannot keep a replaced pull from pulling (nats.js changed?): it is stopped after its grace");
    }
    const retired = {
      handedOn: 0,
      timer: setTimeout(() => {
        retiring.delete(old);
        old.stop();
        if (retired.handedOn > 0) logger.warn({ stream, consumer: name, messages: retired.handedOn }, "replaced pull handed on what the server sent it after the renewal");
      }, RETIRE_AFTER_MS),
    };
    retiring.set(old, retired);
  };

  const renewOnce = async () => {
    const js = jetstream(bus.nc, { timeout: RENEW_TIMEOUT_MS });
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const consumer = await js.consumers.get(stream, name);
        const next = await open(consumer);
        if (stopped) {
          next.stop();
          return;
        }
        const old = current;
        current = next;
        currentConsumer = consumer;
        heard();
        retire(old);
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
    // Ends by itself when these messages are stopped: their listeners stop too.
    for await (const status of messages.status()) {
      // A retired pull goes quiet on purpose.
      if (stopped || messages !== current) return;
      if (FROM_SERVER.has(status.type)) heard();
      if (status.type === "heartbeats_missed" && status.count >= 2) {
        logger.warn({ stream, consumer: name, missed: status.count }, "consumer silent: reading on through a fresh pull");
        renew();
        return;
      }
    }
  }
  /**
   * After a heartbeat and a quarter with nothing from the server, asks it about the consumer and
   * renews when it holds no pull of ours or keeps messages from us (starved-consumer.ts): in
   * ~1.5 s where two missed heartbeats take 2–3 s. (Not sooner when busy: see QuietSpell.)
   */
  const checkStarved = async () => {
    if (stopped || renewing) return;
    const consumer = currentConsumer;
    const reason = await quiet.starved(Date.now(), PULL_HEARTBEAT_MS, consumer);
    // Already replaced or stopped meanwhile: nothing to do.
    if (!reason || stopped || consumer !== currentConsumer) return;
    logger.warn({ stream, consumer: name, reason, quietMs: Date.now() - quiet.heardAt }, "consumer starved: reading on through a fresh pull");
    renew();
  };

  currentConsumer = await bus.js.consumers.get(stream, name);
  current = await open(currentConsumer);
  heard();
  const starvedTimer = setInterval(() => void checkStarved(), STARVED_CHECK_MS);
  // The client may end the messages itself (connection closed): nothing left to look after.
  void closed.then(() => clearInterval(starvedTimer));

  // The client's status iterator has `stop` (a QueuedIterator); the interface names only the iteration.
  const statuses = bus.nc.status() as AsyncIterable<Status> & { stop(): void };
  void (async () => {
    for await (const status of statuses) {
      if (stopped) return;
      if (status.type === "reconnect") renew();
    }
  })();

  return {
    closed,
    stop() {
      stopped = true;
      clearInterval(starvedTimer);
      statuses.stop();
      for (const [old, { timer }] of retiring) {
        clearTimeout(timer);
        old.stop();
      }
      retiring.clear();
      current.stop();
      ended();
    },
  };
}

/**
 * Keeps replaced messages from asking the server for more: every pull request nats.js 3.x sends
 * for them (refills, its own recovery after a reconnect or missed heartbeats) goes through the
 * internal `pull` of its PullConsumerMessagesImpl, which the public interface cannot pause.
 * Without this a retired pull would keep refilling while the server still feeds it, and never
 * be safe to stop. An ordered consumer's recovery also goes through `reset`, which re-subscribes
 * the inbox and re-creates the consumer even after `stop()`: disarmed too. Returns false when
 * `pull` is not there (the client changed).
 */
export function stopPulling(messages: { stop(): void }): boolean {
  const impl = messages as unknown as { pull?: unknown; reset?: unknown };
  if (typeof impl.reset === "function") impl.reset = () => {};
  if (typeof impl.pull !== "function") return false;
  impl.pull = () => {};
  return true;
}

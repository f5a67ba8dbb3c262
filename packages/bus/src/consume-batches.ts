import type { JsMsg } from "@nats-io/jetstream";
import { type Decoded, decode } from "./codec.ts";
import type { Bus } from "./connection.ts";
import { type ConsumeOptions, type Consumption, deliveries } from "./consume.ts";
import { renewingMessages } from "./consumer-renewal.ts";
import { errorText } from "./dead-letters.ts";
import { type TraceContext, traceContextOf } from "./headers.ts";

export interface BatchItem<T> {
  value: T;
  trace: TraceContext;
  msg: JsMsg;
}

export interface ConsumeBatchesOptions<T> extends ConsumeOptions<T> {
  /**
   * Handles every message that arrived together, in stream order, with one round of I/O. If it
   * throws, the batch is settled again message by message through `handle`, so one bad
   * message fails (and is parked) alone; handlers are idempotent, as a redelivery does the same.
   */
  handleBatch: (items: BatchItem<T>[]) => Promise<void>;
  /** Most messages handled in one batch. */
  maxBatch?: number;
  /**
   * How long a batch waits for company after its first message (default 0: the next turn). For
   * consumers nobody waits on message by message (orders opened from holds, seat-map deltas):
   * at a few hundred events a second a batch was nearly always one message, and each paid the
   * whole round of I/O and wake-ups alone; a few milliseconds make the batches fuller.
   */
  lingerMs?: number;
  /**
   * Picks out, before any other work, the messages of a batch that can never be handled, with
   * why (say, one query for every buyer a batch names): they are parked together at once,
   * without a delivery of their own. If it throws, the batch is handled as if it found none.
   */
  triage?: (items: BatchItem<T>[]) => Promise<Map<BatchItem<T>, unknown>>;
  /**
   * Work that may start the moment a message arrives, ahead of the batches queued before it —
   * for a message nothing earlier in the stream concerns (say, the first event of its key).
   * `handle` gets every picked message that arrived since its last call, at most `concurrency`
   * calls at once (default 1), and only messages no batch has taken yet; the call's synchronous
   * part runs before any batch can take them. It settles nothing: each message is still handled
   * and acked in its batch, in stream order, which can then find the work done. A failure here
   * is only logged. `lingerMs` (default 0: the next turn) lets the first arrival wait for company,
   * as the batches' own `lingerMs` does; shorter than theirs, or the batches take the messages first.
   */
  ahead?: { pick: (value: T) => boolean; handle: (items: BatchItem<T>[]) => Promise<void>; concurrency?: number; lingerMs?: number };
}

/**
 * Like `consume`, but hands the handler every message already delivered at once: under load a
 * durable consumer's messages arrive many per pull, and doing their I/O together (one
 * multi-row insert, publishes in flight together) costs a fraction of doing it per message.
 * A lone message is a batch of one: nothing waits for company unless `lingerMs` says so.
 */
export async function consumeBatches<T>(bus: Bus, options: ConsumeBatchesOptions<T>): Promise<Consumption> {
  const maxBatch = options.maxBatch ?? 256;
  const lingerMs = options.lingerMs ?? 0;
  const { parkAll, settle, report } = deliveries(bus, options);
  const queue: JsMsg[] = [];
  let running: Promise<void> | undefined;
  const { ahead } = options;
  // Decoded on arrival for `ahead` (with its item, when picked), so the batch does neither again.
  const onArrival = new WeakMap<JsMsg, { decoded: Decoded<T>; item?: BatchItem<T> }>();
  // Picked for `ahead` and not yet handed to it: a batch that takes one first drops it from here.
  const waitingAhead = new Map<JsMsg, BatchItem<T>>();
  const aheadRunning = new Set<Promise<void>>();
  let aheadScheduled = false;

  // Hands over what waits, in as many calls as are free: one slow call (a row lock, say) does not hold back the next arrivals.
  const runAhead = () => {
    aheadScheduled = false;
    while (waitingAhead.size > 0 && aheadRunning.size < (ahead!.concurrency ?? 1)) {
      const items = [...waitingAhead.values()];
      waitingAhead.clear();
      const running: Promise<void> = ahead!
        .handle(items)
        .catch((error: unknown) => options.logger.warn({ err: error, size: items.length, consumer: options.consumer }, "work ahead of the batches failed; their batches do it"))
        .finally(() => {
          aheadRunning.delete(running);
          // What arrived meanwhile has waited long enough.
          scheduleAhead(false);
        });
      aheadRunning.add(running);
    }
  };
  const scheduleAhead = (linger = true) => {
    if (aheadScheduled || waitingAhead.size === 0) return;
    aheadScheduled = true;
    const lingerAheadMs = ahead?.lingerMs ?? 0;
    if (linger && lingerAheadMs > 0) setTimeout(runAhead, lingerAheadMs);
    else setImmediate(runAhead);
  };

  const arrived = (msg: JsMsg) => {
    if (!ahead) return;
    const decoded = decode(options.schema, msg.data) as Decoded<T>;
    const seen: { decoded: Decoded<T>; item?: BatchItem<T> } = { decoded };
    onArrival.set(msg, seen);
    if (!decoded.ok || !ahead.pick(decoded.value)) return;
    const item = { value: decoded.value, trace: traceContextOf(msg.headers), msg };
    seen.item = item;
    waitingAhead.set(msg, item);
    scheduleAhead();
  };

  const handle = async (taken: JsMsg[]) => {
    let items: BatchItem<T>[] = [];
    const parked: Parameters<typeof parkAll>[0] = [];
    for (const msg of taken) {
      waitingAhead.delete(msg);
      const seen = onArrival.get(msg);
      if (seen?.item) {
        items.push(seen.item);
        continue;
      }
      const decoded: Decoded<T> = seen?.decoded ?? (decode(options.schema, msg.data) as Decoded<T>);
      if (decoded.ok) items.push({ value: decoded.value, trace: traceContextOf(msg.headers), msg });
      else parked.push({ msg, reason: "schema", error: decoded.error.slice(0, 2_000) });
    }
    const rejected = items.length > 0 && options.triage ? await options.triage(items).catch(() => undefined) : undefined;
    if (rejected && rejected.size > 0) {
      for (const [item, error] of rejected) parked.push({ msg: item.msg, reason: "permanent", error: errorText(error) });
      items = items.filter((item) => !rejected.has(item));
    }
    if (parked.length > 0) await parkAll(parked);
    if (items.length === 0) return;
    try {
      await options.handleBatch(items);
      for (const { msg } of items) {
        msg.ack();
        report({ kind: "handled" });
      }
      return;
    } catch (error) {
      if (items.length > 1) options.logger.warn({ err: error, size: items.length }, "batch failed; settling its messages one by one");
    }
    // One by one, as `consume` would: what fails for good is parked, what may pass is retried.
    // With `keyOf`, messages of one key stay in order and keys go side by side, so a batch of
    // messages that all fail costs one round trip per key chain, not one per message in a row.
    if (!options.keyOf) {
      for (const { value, msg } of items) await settle(msg, value);
      return;
    }
    const lanes = new Map<string, Promise<void>>();
    const settled = items.map(({ value, msg }) => {
      const key = options.keyOf?.(value);
      const settling = (key === undefined ? Promise.resolve() : (lanes.get(key) ?? Promise.resolve())).then(() => settle(msg, value));
      if (key !== undefined) lanes.set(key, settling);
      return settling;
    });
    await Promise.all(settled);
  };

  const drain = async () => {
    try {
      while (queue.length > 0) await handle(queue.splice(0, maxBatch));
    } catch (error) {
      options.logger.error({ err: error, consumer: options.consumer }, "consumer batch failed");
    } finally {
      running = undefined;
    }
  };

  const renewing = await renewingMessages(bus, {
    stream: options.stream,
    consumer: options.consumer,
    logger: options.logger,
    maxMessages: options.maxMessages ?? 512,
    // The server's max_ack_pending bounds what can pile up here while a batch is handled.
    deliver: (msg) => {
      queue.push(msg);
      arrived(msg);
      running ??= new Promise<void>((resolve) => (lingerMs > 0 ? setTimeout(resolve, lingerMs) : setImmediate(resolve))).then(drain);
    },
    ...(options.onRenewed ? { onRenewed: options.onRenewed } : {}),
  });
  const done = (async () => {
    // Closed by `stop` or by the client; a renewal replaces the pull underneath without ending it.
    await renewing.closed;
    while (running) await running;
    while (aheadRunning.size > 0) await Promise.all(aheadRunning);
  })();
  return {
    done,
    stop: async () => {
      renewing.stop();
      await done;
    },
  };
}

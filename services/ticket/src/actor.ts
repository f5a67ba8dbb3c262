import { type ConsumerMessages, type JsMsg, jetstream } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import {
  type AsyncPublisher,
  type Bus,
  FROM_SERVER,
  QuietSpell,
  HOP_TIMES_HEADER,
  REPLY_TO_HEADER,
  type TraceContext,
  childTraceparent,
  createAsyncPublisher,
  decodeSeatCommands,
  headersFor,
  publish,
  stopPulling,
  traceContextOf,
} from "@rush/bus";
import { SeatCommand, type SeatEvent, type SeatReply, STREAMS, seatCommandSubject } from "@rush/contracts";
import {
  type PartitionState,
  apply,
  createPartitionState,
  dueExpiries,
  expireHoldCommand,
  nextExpiry,
} from "@rush/engine";
import type { Logger } from "@rush/service";
import type { Redis } from "ioredis";
import { AckTracker } from "./ack-tracker.ts";
import { holdOf, holdViewRecord, queueRedisEffects, queueResync } from "./effects.ts";
import { forWire, subjectOf } from "./event-subjects.ts";
import type { TicketMetrics } from "./metrics.ts";
import { type Outgoing, groupRejections } from "./outgoing.ts";
import { RedisBatch } from "./redis-batch.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

/** A reply's `HOP_TIMES_HEADER`: `stored,received,turn,replied`. */
function hopHeaders(times: string) {
  const h = natsHeaders();
  h.set(HOP_TIMES_HEADER, times);
  return h;
}

export interface ActorOptions {
  partition: number;
  bus: Bus;
  redis: Redis;
  snapshots: SnapshotStore;
  logger: Logger;
  metrics: TicketMetrics;
  clock: () => number;
  batchMax: number;
  snapshotEveryCommands: number;
  snapshotEveryMs: number;
  /**
   * How long each pull for commands lasts (the client's default, 30 s, when unset). When set, two
   * missed heartbeats make the actor read on through a new consumer: on a cluster, that is how an
   * actor notices that the node holding its consumer died with the stream leader; alone, a pull
   * the server no longer serves (which `checkStarved` usually notices first). The worker passes
   * @rush/bus's PULL_WINDOW.
   */
  pullExpiresMs?: number;
  /** How often the server heartbeats an idle pull (half of `pullExpiresMs` when unset): two missed make the actor read on. */
  pullHeartbeatMs?: number;
}

const RESUBSCRIBE_TIMEOUT_MS = 1_500;
/** An idle partition whose due snapshot found the turn taken asks again after this long. */
const SNAPSHOT_RETRY_MS = 10;

type CommandConsumer = Awaited<ReturnType<Bus["js"]["consumers"]["get"]>>;

/**
 * Stops a command consumer's messages for good and deletes the consumer at the server.
 *
 * nats.js 3.x's own recovery of an ordered consumer after a reconnect asks for its info and, when
 * the server no longer has it, resets it: re-subscribes the inbox (even after `stop()`), creates
 * the consumer again and pulls. A renewal's `stop()` that lands while that recovery waits for the
 * info left both running: after each nats-server restart in the ticket tests, one re-created
 * consumer per partition kept pulling the partition's commands into the actor beside its new one.
 * So the internal reset and pull are disarmed before the stop (`stopPulling`, as for the bus's
 * retired pulls).
 *
 * A consumer left at the server would stay until its inactivity threshold (5 min), still tracked
 * there (its pending count) for every command stored. The delete is not awaited: gone with its
 * node on a cluster, or the server away, it lapses by itself.
 */
function endConsumer(messages: { stop(): void } | undefined, consumer: CommandConsumer | undefined): void {
  if (messages) stopPulling(messages);
  messages?.stop();
  consumer?.delete().catch(() => {});
}

const ROUTINE_STATUS = new Set(["discard", "next", "heartbeat"]);
/** A pull's start and end, and its expiry with nothing to deliver (408), happen every few seconds. */
const isRoutine = (status: { type: string; code?: number }) => ROUTINE_STATUS.has(status.type) || (status.type === "debug" && status.code === 408);

/** A hold answered this long after the gate stamped it was most likely answered 202 (HOLD_WAIT_MS 2 s). */
const LATE_HOLD_MS = 1_000;

/** Commands the actor appends to its own log; nobody waits for their result. */
const INTERNAL = new Set<SeatCommand["type"]>(["ExpireHold", "RevokeHold"]);

/** A command's reply, encoded once for both the result store and the waiting gate. */
interface Answer {
  reply: SeatReply;
  text: string;
  holdStampedAt?: number;
  /** When JetStream stored the message carrying the hold (its timestamp), when it reached this worker, and when its batch began. */
  holdStoredAt?: number;
  holdReceivedAt?: number;
  holdTurnAt?: number;
}

const encoder = new TextEncoder();

/**
 * One partition's actor: restores the last snapshot, replays SEAT_COMMANDS from the sequence
 * after it, then keeps applying commands strictly in stream order. The state lives only here,
 * touched by one loop, so there are no locks. Each batch's I/O goes out together: one Redis
 * pipeline, JetStream publishes in flight together, then the replies.
 *
 * Replies wait for the fence, not for the events' PubAcks: the commands are already in the log,
 * and until a snapshot passes them a failure replays them and publishes the same events again
 * (the msg-ids dedupe them). So a snapshot waits for every PubAck before it, and an event that
 * can't be stored ends the actor. Meanwhile the actor decides the next batch.
 *
 * It reads through an ordered consumer (ephemeral, no acks): the snapshot's sequence is the
 * durable cursor, so a per-message ack round trip would buy nothing. Any I/O failure ends the
 * actor (`done` rejects); the worker restarts it from the snapshot, and every effect is
 * idempotent on replay (msg-ids derived from command ids, locks that are already ours).
 */
export class PartitionActor {
  readonly partition: number;
  #state: PartitionState = createPartitionState();
  /** Sequence of the last command applied. */
  #seq = 0;
  #snapshotSeq = 0;
  #snapshotAt = 0;
  #queue: JsMsg[] = [];
  /** When each queued message arrived: splits a hold's time into delivery, wait for a turn, and the turn. */
  #arrivals = new WeakMap<JsMsg, number>();
  #lateLoggedAt = 0;
  #wake: (() => void) | undefined;
  #stopping = false;
  #caughtUp = false;
  #needsResync = true;
  #startedAt = 0;
  #expiryTimer: NodeJS.Timeout | undefined;
  #expiryAt = Number.POSITIVE_INFINITY;
  /** The earliest expiry granted or extended since the timer was last armed. */
  #earliestNewExpiry = Number.POSITIVE_INFINITY;
  /** ExpireHold command ids appended but not yet applied. */
  #expiriesInFlight = new Set<string>();
  #messages: { stop(): void } | undefined;
  #consumer: CommandConsumer | undefined;
  /** The consumer's quiet spells (a command or a server status ends one). */
  readonly #quiet = new QuietSpell(0, { soonerWhenBusy: true });
  #renewing = false;
  /** The snapshot being stored, if any. */
  #saving: Promise<void> | undefined;
  /** A snapshot came due in a turn another partition had taken (`SnapshotTurns`). */
  #snapshotDeferred = false;
  #publisher: AsyncPublisher | undefined;
  #done: Promise<void> | undefined;
  /** The events' PubAcks, not awaited per batch: a snapshot waits for them, a failure ends the loop. */
  readonly #acks = new AckTracker(() => this.#wake?.());

  constructor(private readonly options: ActorOptions) {
    this.partition = options.partition;
  }

  get seq(): number {
    return this.#seq;
  }

  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Resolves when the loop ends after `stop()`; rejects if it failed. */
  get done(): Promise<void> {
    return this.#done ?? Promise.resolve();
  }

  /** Exposed for tests and diagnostics: the live state (do not mutate). */
  get state(): PartitionState {
    return this.#state;
  }

  async start(): Promise<void> {
    const { partition, snapshots, bus, logger } = this.options;
    this.#startedAt = this.options.clock();
    const restored = await snapshots.load(partition);
    if (restored) {
      this.#state = restored.state;
      this.#seq = this.#snapshotSeq = restored.seq;
    }
    this.#snapshotAt = this.options.clock();
    this.options.metrics.snapshotTakenAt.set(partition, this.#snapshotAt);
    this.#publisher = createAsyncPublisher(bus);
    const consumer = await bus.js.consumers.get(STREAMS.seatCommands, {
      // A single filter is sent as `filter_subject`, which nats-server 2.9 understands.
      filter_subjects: seatCommandSubject(partition),
      opt_start_seq: this.#seq + 1,
    });
    const pending = (await consumer.info(true)).num_pending;
    if (pending === 0) this.#markCaughtUp();
    logger.debug({ partition, fromSeq: this.#seq + 1, pending, restored: Boolean(restored) }, "partition starting");
    await this.#consume(consumer);
    this.#done = this.#loop();
  }

  async #consume(consumer: CommandConsumer): Promise<void> {
    this.#consumer = consumer;
    this.#quiet.heard(this.options.clock());
    const messages = await consumer.consume({
      max_messages: this.options.batchMax * 2,
      ...(this.options.pullExpiresMs ? { expires: this.options.pullExpiresMs } : {}),
      ...(this.options.pullHeartbeatMs ? { idle_heartbeat: this.options.pullHeartbeatMs } : {}),
      callback: (msg) => {
        const now = this.options.clock();
        this.#arrivals.set(msg, now);
        this.#quiet.heard(now);
        this.#queue.push(msg);
        this.#wake?.();
      },
    });
    this.#messages = messages;
    void this.#watch(messages);
  }

  /**
   * On a cluster the ordered consumer (R1, ephemeral) lives on one node. When that node dies the
   * client sees only missed heartbeats, and its own recovery asks the dead consumer for its info
   * until that fails with "not found", which a consumer whose node is gone never says: a partition
   * stopped 10–26 s after a SEAT_COMMANDS leader kill. So two missed heartbeats make the actor
   * read on through a new consumer, from the command after the last one it received.
   */
  async #watch(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (this.#stopping || this.#messages !== messages) return;
      if (FROM_SERVER.has(status.type)) this.#quiet.heard(this.options.clock());
      // Every pull's end (discard) and start (next) is routine; anything else pauses the partition
      // for a moment (an ordered consumer's reset recreates it; a 409 waits for missed heartbeats).
      if (!isRoutine(status)) this.options.logger.info({ partition: this.partition, status }, "command consumer status");
      if (!this.options.pullExpiresMs || status.type !== "heartbeats_missed" || status.count < 2) continue;
      this.options.logger.warn({ partition: this.partition, missed: status.count }, "command consumer silent: reading on through a new one");
      await this.renewConsumer();
      return;
    }
  }

  /**
   * The worker calls this every 100 ms. After a quiet spell (a heartbeat and a quarter; a busy
   * partition's, ten of its usual gaps but at least 250 ms) asks the server about the consumer, and
   * reads on through a new one if it is starved (@rush/bus starved-consumer.ts): a busy partition
   * in ~0.3 s, an idle one in ~1.4 s, where two missed heartbeats take 2–3 s.
   */
  async checkStarved(now: number): Promise<void> {
    const heartbeatMs = this.options.pullHeartbeatMs;
    const consumer = this.#consumer;
    if (!heartbeatMs || !consumer || this.#stopping || this.#renewing) return;
    const reason = await this.#quiet.starved(now, heartbeatMs, consumer);
    // Already replaced meanwhile: nothing to do.
    if (!reason || this.#consumer !== consumer) return;
    this.options.logger.warn({ partition: this.partition, reason, quietMs: this.options.clock() - this.#quiet.heardAt }, "command consumer starved: reading on through a new one");
    this.options.metrics.consumerStarved.inc();
    await this.renewConsumer();
  }

  /**
   * Reads on through a new consumer from the command after the last one received. The worker
   * calls it when NATS reconnects: the client's own recovery asks the old consumer for its info,
   * and if that first ask fails (JetStream still starting after a nats-server restart) it waits
   * 15–45 s before asking again; a whole sale once stood still for 20 s that way.
   */
  async renewConsumer(): Promise<void> {
    if (this.#stopping || this.#renewing || !this.#messages) return;
    this.#renewing = true;
    try {
      endConsumer(this.#messages, this.#consumer);
      await this.#resubscribe();
    } finally {
      this.#renewing = false;
    }
  }

  async #resubscribe(): Promise<void> {
    const { bus, partition, logger } = this.options;
    // Asked with a short timeout: while the stream elects a leader a request gets no answer, and
    // the default 5 s per attempt was most of a partition's pause.
    const js = jetstream(bus.nc, { timeout: RESUBSCRIBE_TIMEOUT_MS });
    for (let attempt = 0; !this.#stopping; attempt++) {
      // Every message already received is in the queue or applied; the new consumer starts after them.
      const from = (this.#queue.at(-1)?.seq ?? this.#seq) + 1;
      try {
        const consumer = await js.consumers.get(STREAMS.seatCommands, { filter_subjects: seatCommandSubject(partition), opt_start_seq: from });
        await this.#consume(consumer);
        // A stop() that landed while this attempt was in flight stopped the old consumer only.
        if (this.#stopping) endConsumer(this.#messages, this.#consumer);
        this.options.metrics.consumerRenewals.inc();
        logger.info({ partition, fromSeq: from, attempt }, "command consumer renewed");
        return;
      } catch (error) {
        // No stream leader yet (an election in progress): ask again shortly.
        logger.warn({ partition, err: error, attempt }, "command consumer not renewed yet");
        await new Promise((r) => setTimeout(r, Math.min(1_000, 250 * 2 ** attempt)));
      }
    }
  }

  /**
   * Stops taking commands, finishes the batch in hand, and saves a final snapshot — unless the
   * loop failed or an event went unacknowledged: then the next owner must replay those commands.
   */
  async stop(options: { snapshot?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    endConsumer(this.#messages, this.#consumer);
    clearTimeout(this.#expiryTimer);
    this.#wake?.();
    const failed = await this.done.then(
      () => false,
      () => true,
    );
    const confirmed = await this.#acks.confirmed().then(
      () => true,
      () => false,
    );
    this.#publisher?.close();
    // A background save outlives nothing: it lands (or fails) before stop() returns.
    await this.#saving;
    if (options.snapshot !== false && !failed && confirmed && this.#seq > this.#snapshotSeq) await this.#snapshot();
    // Not this worker's partition any more, unless a new actor for it has started meanwhile.
    const taken = this.options.metrics.snapshotTakenAt;
    if (taken.get(this.partition) === this.#snapshotAt) taken.delete(this.partition);
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      if (this.#acks.error) throw this.#acks.error;
      if (this.#needsResync) {
        await this.#resync();
        // Re-check: a stop() during the resync found no waiter to wake.
        continue;
      }
      if (this.#queue.length === 0) {
        // Idle with unsnapshotted commands: snapshot after the interval, so a restart replays little.
        const idleSnapshot = this.#seq > this.#snapshotSeq;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          if (idleSnapshot) setTimeout(resolve, this.#snapshotDeferred ? SNAPSHOT_RETRY_MS : this.options.snapshotEveryMs).unref();
        });
        this.#wake = undefined;
        if (this.#queue.length === 0 && !this.#stopping) await this.#maybeSnapshot();
        continue;
      }
      const batch = this.#queue.splice(0, this.options.batchMax);
      await this.#process(batch);
      if (this.#acks.full) await this.#acks.confirmed();
      await this.#maybeSnapshot();
      if (this.#caughtUp) this.#armExpiryTimer();
    }
  }

  /** Redis may have lost locks or the read model (restart, failover): write them again from memory. */
  requestResync(): void {
    this.#needsResync = true;
    this.#wake?.();
  }

  async #resync(): Promise<void> {
    this.#needsResync = false;
    const batch = new RedisBatch(this.options.redis);
    queueResync(batch, this.#state);
    const fence = await batch.exec();
    for (const [holdId, seats] of fence.refusedHolds) {
      this.options.logger.error({ partition: this.partition, holdId, seats }, "resync: a live hold's seats are locked by another hold");
    }
  }

  async #process(batch: JsMsg[]): Promise<void> {
    const { partition, bus, metrics, logger, clock } = this.options;
    const redisBatch = new RedisBatch(this.options.redis);
    const outgoing: Outgoing[] = [];
    /** One reply message per command message: a batch's answers go back together. */
    const replies: { to: string; batch: boolean; answers: Answer[]; hops?: string }[] = [];
    const heldBy = new Map<string, { answer: Answer; outgoing: Outgoing | undefined; command: SeatCommand }>();
    const turnAt = clock();

    for (const msg of batch) {
      this.#seq = msg.seq;
      const read = decodeSeatCommands(msg.data);
      for (const error of read.poison) {
        // Poison: never retried (the stream keeps it for inspection); the actor moves past it.
        metrics.poison.inc();
        logger.error({ partition, seq: msg.seq, error }, "poison command skipped");
      }
      const messageTrace = traceContextOf(msg.headers);
      const answers: Answer[] = [];
      const events: Outgoing[] = [];
      let storedAt: number | undefined;
      for (const entry of read.entries) {
        const trace = entry.correlationId && entry.traceparent
          ? { correlationId: entry.correlationId, traceparent: childTraceparent(entry.traceparent) }
          : messageTrace;
        const answer = this.#applyOne(entry.command, msg.seq, trace, { redisBatch, outgoing: events, heldBy });
        if (!answer) continue;
        if (answer.holdStampedAt !== undefined) {
          // The server's clock, in the message's ack subject: read once per message, and only for holds.
          answer.holdStoredAt = storedAt ??= Math.floor(Number(msg.info.timestampNanos) / 1e6);
          answer.holdReceivedAt = this.#arrivals.get(msg) ?? turnAt;
          answer.holdTurnAt = turnAt;
        }
        answers.push(answer);
      }
      outgoing.push(...(read.batch ? groupRejections(events) : events));
      const to = msg.headers?.get(REPLY_TO_HEADER);
      if (!to || answers.length === 0) continue;
      if (msg.headers?.get(HOP_TIMES_HEADER) !== "?") {
        replies.push({ to, batch: read.batch, answers });
        continue;
      }
      // Asked for by a gate finding where its slow holds wait (its SERVER_TIMING); the reply's own time is added as it goes out.
      storedAt ??= Math.floor(Number(msg.info.timestampNanos) / 1e6);
      replies.push({ to, batch: read.batch, answers, hops: `${storedAt},${this.#arrivals.get(msg) ?? turnAt},${turnAt}` });
    }
    metrics.batchSize.observe(batch.length);

    const fence = await redisBatch.exec();
    if (fence.refusedHolds.size > 0) await this.#handleRefusals(fence.refusedHolds, heldBy, outgoing);
    for (const [holdId, seats] of fence.soldConflicts) {
      logger.error({ partition, holdId, seats }, "sold seats are locked by another hold: split brain; tickets' unique key is the last defence");
    }

    const publisher = this.#publisher!;
    this.#acks.track(
      outgoing.map((out) => publisher.publish(out.subject, encoder.encode(out.text), { msgId: out.msgId, headers: headersFor(out.trace, out.type) })),
    );
    const now = clock();
    for (const { to, batch: isBatch, answers, hops } of replies) {
      // Texts are final here: a fence refusal above re-encoded the answers it rewrote.
      const text = isBatch ? `[${answers.map((answer) => answer.text).join(",")}]` : answers[0]!.text;
      bus.nc.publish(to, text, hops ? { headers: hopHeaders(`${hops},${now}`) } : undefined);
      for (const { holdStampedAt, holdStoredAt, holdReceivedAt, holdTurnAt } of answers) {
        if (holdStampedAt === undefined) continue;
        metrics.holdLatency.observe(Math.max(0, now - holdStampedAt) / 1000);
        if (holdStoredAt !== undefined) metrics.holdStored.observe(Math.max(0, holdStoredAt - holdStampedAt) / 1000);
        if (holdReceivedAt === undefined || holdTurnAt === undefined) continue;
        metrics.holdDelivery.observe(Math.max(0, holdReceivedAt - holdStampedAt) / 1000);
        metrics.holdQueued.observe(Math.max(0, holdTurnAt - holdReceivedAt) / 1000);
        // Past the gate's wait the buyer was told 202: say which stretch held it, at most once a
        // second per partition (an overloaded sale would otherwise log every batch).
        if (now - holdStampedAt > LATE_HOLD_MS && now - this.#lateLoggedAt >= 1_000) {
          this.#lateLoggedAt = now;
          logger.warn(
            { partition, deliveryMs: holdReceivedAt - holdStampedAt, queuedMs: holdTurnAt - holdReceivedAt, turnMs: now - holdTurnAt, batch: batch.length },
            "hold answered late",
          );
        }
      }
    }
    const last = batch.at(-1);
    if (!this.#caughtUp && last && last.info.pending === 0) this.#markCaughtUp();
  }

  /** Decides one command and queues its effects; its answer unless nobody can ask for it. */
  #applyOne(
    command: SeatCommand,
    seq: number,
    trace: TraceContext,
    batch: { redisBatch: RedisBatch; outgoing: Outgoing[]; heldBy: Map<string, { answer: Answer; outgoing: Outgoing | undefined; command: SeatCommand }> },
  ): Answer | undefined {
    const { partition, metrics } = this.options;
    const { redisBatch, outgoing, heldBy } = batch;
    if (command.type === "ExpireHold") this.#expiriesInFlight.delete(command.commandId);
    const { events } = apply(this.#state, command);
    metrics.commands.inc({ type: command.type });

    const reply: SeatReply = { commandId: command.commandId, partition, seq, events: events.map(forWire) };
    // Engine output is typed, and the engine's property tests validate every event against the zod
    // contract; re-parsing each one here would cost more CPU than deciding it. Each event is
    // encoded once, for its own message and for the reply.
    const texts = reply.events.map((event) => JSON.stringify(event));
    const answer: Answer = { reply, text: "" };
    const viewed = new Set<string>();
    events.forEach((event, i) => {
      queueRedisEffects(redisBatch, event);
      const subject = subjectOf(event, partition);
      const out = subject ? { subject, type: event.type, text: texts[i]!, msgId: `${command.commandId}:${i}`, trace } : undefined;
      if (out) outgoing.push(out);
      if (event.type === "SeatsHeld") heldBy.set(event.holdId, { answer, outgoing: out, command });
      if (event.type === "SeatsHeld" || event.type === "HoldExtended") this.#earliestNewExpiry = Math.min(this.#earliestNewExpiry, event.expiresAt);
      if (event.type === "HoldRejected" && event.reason === "unavailable") metrics.conflicts.inc();
      // A rejected or duplicate request created no hold: its outcome is in the result store.
      const holdId = event.type === "HoldRejected" || event.type === "HoldDuplicate" ? undefined : holdOf(event);
      if (holdId) viewed.add(holdId);
    });
    for (const holdId of viewed) {
      const event = events.find((e) => holdOf(e) === holdId) as SeatEvent & { holdId: string };
      const view = holdViewRecord(this.#state, event);
      if (view) redisBatch.holdView(holdId, view);
    }
    // The actor's own commands (expiries, revokes) have no asker and no stored result.
    if (INTERNAL.has(command.type)) return undefined;
    // The same text JSON.stringify(reply) gives, key for key, without encoding the events again.
    answer.text = `{"commandId":${JSON.stringify(reply.commandId)},"partition":${partition},"seq":${seq},"events":[${texts.join(",")}]}`;
    redisBatch.result(reply.commandId, answer.text);
    if (command.type === "HoldSeats" || command.type === "HoldBestAvailable") answer.holdStampedAt = command.now;
    return answer;
  }

  /**
   * Memory granted a hold but Redis says another hold owns a seat: someone else ran this
   * partition (a lease lost in a pause). The hold must not stand: its event is withheld, the
   * asker is told it failed, and a RevokeHold is appended so the log — and every replay — undoes it.
   */
  async #handleRefusals(
    refused: Map<string, string[]>,
    heldBy: Map<string, { answer: Answer; outgoing: Outgoing | undefined; command: SeatCommand }>,
    outgoing: Outgoing[],
  ): Promise<void> {
    const { partition, bus, metrics, logger, clock } = this.options;
    const fix = new RedisBatch(this.options.redis);
    const revokes: SeatCommand[] = [];
    for (const [holdId, seats] of refused) {
      metrics.fenceRefusals.inc();
      logger.warn({ partition, holdId, seats }, "fence refused a hold; revoking it");
      const held = heldBy.get(holdId);
      if (!held) continue;
      if (held.outgoing) outgoing.splice(outgoing.indexOf(held.outgoing), 1);
      const { reply } = held.answer;
      reply.events = reply.events.map((event) =>
        event.type === "SeatsHeld" && event.holdId === holdId
          ? {
              type: "HoldRejected",
              commandId: event.commandId,
              sessionId: event.sessionId,
              areaId: event.areaId,
              at: event.at,
              holdId,
              buyerId: event.buyerId,
              reason: "unavailable",
              unavailable: seats,
            }
          : event,
      );
      held.answer.text = JSON.stringify(reply);
      fix.result(reply.commandId, held.answer.text, "correct");
      const { sessionId, areaId } = held.command;
      // The batch's pipeline stored the grant's view too: what the asker is told, the view says.
      const rejected = reply.events.find((event) => event.type === "HoldRejected" && event.holdId === holdId);
      const buyerId = rejected?.type === "HoldRejected" ? rejected.buyerId : undefined;
      if (buyerId) fix.holdView(holdId, { holdId, buyerId, status: "rejected", seatIds: [], reason: "unavailable", sessionId, areaId });
      revokes.push({ type: "RevokeHold", commandId: `revoke:${holdId}`, sessionId, areaId, now: clock(), holdId, reason: "fence" });
    }
    // Corrected before the revokes are published (a PubAck can take seconds while NATS is
    // struggling, which is when leases move): until then a 202'd buyer polling the command read
    // the withdrawn grant as theirs.
    await fix.exec();
    for (const revoke of revokes) {
      await publish(bus, seatCommandSubject(partition), SeatCommand, revoke, { msgId: revoke.commandId, type: "RevokeHold" });
    }
  }

  #markCaughtUp(): void {
    this.#caughtUp = true;
    const seconds = (this.options.clock() - this.#startedAt) / 1000;
    this.options.metrics.recoverySeconds.observe(seconds);
    // Sixty-four partitions start at once; only the ones that had a log to replay are worth a line.
    const level = this.#seq > this.#snapshotSeq || this.#seq > 0 ? "info" : "debug";
    this.options.logger[level]({ partition: this.partition, seq: this.#seq, recoveryMs: Math.round(seconds * 1000) }, "partition caught up");
    this.#armExpiryTimer();
  }

  /**
   * Takes a snapshot when one is due and none is being saved, without waiting for it: the state
   * is encoded now (the next batch changes it), then stored in the background once every event
   * before it is acknowledged. The partition's next commands do not wait for a KV round trip.
   */
  async #maybeSnapshot(): Promise<void> {
    const since = this.#seq - this.#snapshotSeq;
    const age = this.options.clock() - this.#snapshotAt;
    if (this.#saving) return;
    if (since >= this.options.snapshotEveryCommands || (since > 0 && age >= this.options.snapshotEveryMs)) {
      this.#snapshotDeferred = !this.options.snapshots.turns.claim();
      if (this.#snapshotDeferred) return;
      // Counted from the attempt: a save that fails is tried again after the interval, not per batch.
      this.#snapshotAt = this.options.clock();
      this.options.metrics.snapshotTakenAt.set(this.partition, this.#snapshotAt);
      this.#saving = this.#save(this.#seq, this.options.snapshots.encode(this.#state, this.#seq))
        .catch((error: unknown) => this.options.logger.warn({ partition: this.partition, err: error }, "snapshot not saved; the next one will be"))
        .finally(() => {
          this.#saving = undefined;
        });
    }
  }

  /** The final snapshot of a stop: after any save in flight, of the state as it is. */
  async #snapshot(): Promise<void> {
    await this.#saving;
    await this.#save(this.#seq, this.options.snapshots.encode(this.#state, this.#seq));
  }

  async #save(seq: number, encoded: string): Promise<void> {
    // A snapshot marks its commands done: their events must be stored first.
    await this.#acks.confirmed();
    const bytes = await this.options.snapshots.saveEncoded(this.partition, encoded);
    this.#snapshotSeq = Math.max(this.#snapshotSeq, seq);
    this.options.metrics.snapshotBytes.set({ partition: String(this.partition) }, bytes);
  }

  /** Time enters the log: when the earliest hold is due, append ExpireHold commands for what is due. */
  #armExpiryTimer(): void {
    if (this.#stopping) return;
    const earliestNew = this.#earliestNewExpiry;
    this.#earliestNewExpiry = Number.POSITIVE_INFINITY;
    // With a timer armed for the earliest hold, only holds granted or extended since can be
    // earlier: a scan of every live hold after every batch cost O(live holds) per command in a
    // busy partition. A timer left early by a sale or release finds nothing due and scans then.
    const armed = this.#expiryAt !== Number.POSITIVE_INFINITY;
    const next = armed ? earliestNew : nextExpiry(this.#state);
    if (next === undefined || next >= this.#expiryAt) return;
    clearTimeout(this.#expiryTimer);
    this.#expiryAt = next;
    this.#expiryTimer = setTimeout(() => void this.#appendExpiries(), Math.max(0, next - this.options.clock()));
    this.#expiryTimer.unref();
  }

  async #appendExpiries(): Promise<void> {
    this.#expiryAt = Number.POSITIVE_INFINITY;
    if (this.#stopping) return;
    const now = this.options.clock();
    const due = dueExpiries(this.#state, now).map((expiry) => expireHoldCommand(expiry, now));
    const fresh = due.filter((command) => !this.#expiriesInFlight.has(command.commandId));
    for (const command of fresh) this.#expiriesInFlight.add(command.commandId);
    try {
      await Promise.all(
        fresh.map((command) =>
          publish(this.options.bus, seatCommandSubject(this.partition), SeatCommand, command, {
            msgId: command.commandId,
            type: command.type,
          }),
        ),
      );
    } catch (error) {
      for (const command of fresh) this.#expiriesInFlight.delete(command.commandId);
      this.options.logger.warn({ partition: this.partition, err: error }, "could not append expiries; retrying");
      this.#expiryTimer = setTimeout(() => void this.#appendExpiries(), 1000);
      this.#expiryTimer.unref();
      return;
    }
    // Holds not yet due (or extended meanwhile) get the next timer.
    if (due.length === 0) this.#armExpiryTimer();
  }
}

import type { Subscription } from "@nats-io/transport-node";
import { type Bus, PULL_WINDOW } from "@rush/bus";
import type { Logger } from "@rush/service";
import type { Redis } from "ioredis";
import { PartitionActor } from "./actor.ts";
import { packedShare } from "./placement.ts";
import type { TicketConfig } from "./config.ts";
import type { LeaseStore } from "./leases.ts";
import { GoneWorkers, answerAlive, isGone } from "./liveness.ts";
import type { TicketMetrics } from "./metrics.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export interface WorkerDeps {
  config: Pick<TicketConfig, "WORKER_ID" | "PARTITIONS" | "BATCH_MAX" | "SNAPSHOT_EVERY_COMMANDS" | "SNAPSHOT_EVERY_MS" | "LEASE_RENEW_MS"> &
    Partial<Pick<TicketConfig, "PARTITION_PLACEMENT" | "NATS_REPLICAS">>;
  bus: Bus;
  redis: Redis;
  leases: LeaseStore;
  snapshots: SnapshotStore;
  logger: Logger;
  metrics: TicketMetrics;
  clock: () => number;
}

/**
 * How long a worker must keep answering "no responders" before its leases are taken over. A
 * SIGKILLed worker's partitions move about 2–3 s after its death instead of after the lease TTL
 * (6 s) and a tick; longer than a NATS reconnect, so a restart of nats-server moves nothing.
 */
const GONE_CONFIRM_MS = 2_000;
/** How soon a failed actor is restarted (a tick of its own). */
const RESTART_AFTER_MS = 200;
/** How often the actors look for a quiet spell: at most this is added to noticing one (a busy partition's is 250 ms). */
const STARVED_CHECK_MS = 100;

interface Owned {
  revision: number;
  renewedAt: number;
  actor: PartitionActor;
  failed: boolean;
}

/**
 * Runs the partitions this worker holds leases for, and only those: acquires up to its fair
 * share (partitions ÷ live workers; all or none with `pack` placement), renews every `LEASE_RENEW_MS`, hands extras back when
 * workers join, and stops an actor the moment its lease is lost or can no longer be renewed
 * in time. A dead worker's leases are taken over once NATS confirms its process is gone (see
 * `liveness.ts`), or else when they lapse with the bucket TTL.
 */
export class Worker {
  readonly #owned = new Map<number, Owned>();
  readonly #suspects = new GoneWorkers(GONE_CONFIRM_MS);
  #alive: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #starvedTimer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | undefined;
  /** Restarts in a row that failed again (reset by a tick that finds every actor running). */
  #failedRestarts = 0;
  #stopped = false;

  constructor(private readonly deps: WorkerDeps) {}

  /** Partitions this worker runs now. */
  get partitions(): number[] {
    return [...this.#owned.keys()].sort((a, b) => a - b);
  }

  /** Every owned partition has replayed its log and takes new commands. */
  get caughtUp(): boolean {
    return [...this.#owned.values()].every((o) => o.actor.caughtUp && !o.failed);
  }

  actor(partition: number): PartitionActor | undefined {
    return this.#owned.get(partition)?.actor;
  }

  async start(): Promise<void> {
    this.#alive = answerAlive(this.deps.bus, this.deps.config.WORKER_ID);
    await this.deps.leases.heartbeat(this.deps.config.WORKER_ID);
    await this.#tick();
    this.#timer = setInterval(() => this.#queueTick(), this.deps.config.LEASE_RENEW_MS);
    // One timer for every actor, not one each: 64 partitions would wake the worker 256 times a second.
    this.#starvedTimer = setInterval(() => this.#checkStarved(), STARVED_CHECK_MS);
    void this.#renewOnReconnect();
  }

  /** Each actor asks the server about its command consumer after a quiet spell (@rush/bus starved-consumer.ts). */
  #checkStarved(): void {
    const now = this.deps.clock();
    for (const [partition, { actor }] of this.#owned) {
      actor.checkStarved(now).catch((error) => this.deps.logger.warn({ partition, err: error }, "starved consumer check failed"));
    }
  }

  /**
   * Back from a NATS outage: renew the leases at once rather than up to a renew interval later
   * (the outage already spent most of their margin), and every actor reads on through a new
   * command consumer (see `PartitionActor.renewConsumer`).
   */
  async #renewOnReconnect(): Promise<void> {
    for await (const status of this.deps.bus.nc.status()) {
      if (this.#stopped) return;
      if (status.type !== "reconnect") continue;
      this.#queueTick();
      for (const { actor } of this.#owned.values()) void actor.renewConsumer();
    }
  }

  /**
   * Redis came back from a restart: every actor writes its locks and read model again, and the
   * actors its outage failed restart now rather than at the next lease tick.
   */
  resyncAll(): void {
    for (const { actor } of this.#owned.values()) actor.requestResync();
    if ([...this.#owned.values()].some((o) => o.failed)) this.#queueTick();
  }

  #queueTick(): void {
    this.#ticking = this.#ticking.then(() => this.#tick()).catch((error) => this.deps.logger.warn({ err: error }, "lease tick failed"));
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    const { leases, config, clock, logger } = this.deps;
    // Alongside the renewals, not before them: in an outage it waits its full timeout.
    const beat = leases.heartbeat(config.WORKER_ID).catch(() => {});

    // Renew; an actor whose lease is gone, or can't be renewed before it could lapse, stops now.
    await Promise.all(
      [...this.#owned.entries()].map(async ([partition, owned]) => {
        const revision = await leases.renew(partition, config.WORKER_ID, owned.revision);
        if (typeof revision === "number") {
          owned.revision = revision;
          owned.renewedAt = clock();
        } else if (revision === "lost" || clock() - owned.renewedAt > leases.ttlMs - config.LEASE_RENEW_MS) {
          logger.warn({ partition }, "lease lost: stopping the partition");
          this.#owned.delete(partition);
          // No final snapshot: another worker may own it already (an older snapshot is only slower, never wrong).
          await owned.actor.stop({ snapshot: false });
        }
      }),
    );

    // Restart actors that failed (I/O errors) while we still hold their lease.
    if (![...this.#owned.values()].some((o) => o.failed)) this.#failedRestarts = 0;
    for (const [partition, owned] of this.#owned) {
      if (!owned.failed) continue;
      owned.failed = false;
      // Stopped in the background: its consumer would keep pulling commands nobody applies (and
      // stay at the server), its expiry timer would keep firing; the new actor need not wait.
      void owned.actor.stop({ snapshot: false }).catch(() => {});
      owned.actor = this.#newActor(partition);
      await this.#startActor(partition, owned);
    }

    await beat;
    const { workers, owners } = await leases.survey();
    const gone = await this.#goneWorkers(workers, owners);
    const liveWorkers = [...new Set([...workers.filter((w) => !gone.has(w)), config.WORKER_ID])];
    const share =
      config.PARTITION_PLACEMENT === "pack"
        ? packedShare(config.WORKER_ID, liveWorkers, owners, this.#owned.size, config.PARTITIONS)
        : Math.ceil(config.PARTITIONS / liveWorkers.length);
    if (this.#owned.size > share) {
      for (const partition of this.partitions.slice(share)) await this.#handBack(partition);
    } else if (this.#owned.size < share) {
      // Free: nobody's, or a gone worker's (taken over at the revision it was seen with, before its TTL lapses).
      const free = shuffle([...Array(config.PARTITIONS).keys()].filter((p) => !owners.has(p) || gone.has(owners.get(p)!.worker)));
      // Asked for side by side: a dead worker's 64 leases taken one round trip after another
      // were a second of the takeover. One lost to another worker is simply not ours this tick.
      const leased = await Promise.all(
        free.slice(0, share - this.#owned.size).map(async (partition) => {
          const previous = owners.get(partition);
          const revision = previous ? await leases.takeOver(partition, config.WORKER_ID, previous.revision) : await leases.acquire(partition, config.WORKER_ID);
          return { partition, revision };
        }),
      );
      const starting: Promise<void>[] = [];
      for (const { partition, revision } of leased) {
        if (revision === undefined) continue;
        if (this.#stopped) {
          await leases.release(partition, revision);
          continue;
        }
        const owned: Owned = { revision, renewedAt: clock(), actor: this.#newActor(partition), failed: false };
        this.#owned.set(partition, owned);
        // Started side by side: a dead worker's partitions restored one after another took
        // seconds of the takeover (each loads a snapshot and replays its log).
        starting.push(this.#startActor(partition, owned));
      }
      await Promise.all(starting);
    }
    this.deps.metrics.ownedPartitions.set(this.#owned.size);
  }

  /**
   * Other workers (announced or holding leases) whose process is gone, confirmed over two pings
   * `GONE_CONFIRM_MS` apart; a new suspicion asks again sooner than the next lease tick. A gone
   * worker's heartbeat is removed so every worker's fair share counts only live ones.
   */
  async #goneWorkers(workers: string[], owners: Map<number, { worker: string }>): Promise<Set<string>> {
    const { bus, config, leases, clock, logger } = this.deps;
    const others = new Set([...workers, ...[...owners.values()].map((o) => o.worker)]);
    others.delete(config.WORKER_ID);
    const pinged = await Promise.all([...others].map(async (w) => [w, await isGone(bus, w)] as const));
    const { gone, suspected } = this.#suspects.update(new Map(pinged), clock());
    if (suspected && !this.#stopped) setTimeout(() => this.#queueTick(), GONE_CONFIRM_MS).unref();
    for (const worker of gone) {
      logger.warn({ gone: worker }, "worker gone (its NATS connection is): taking over its partitions");
      if (workers.includes(worker)) await leases.forgetWorker(worker);
    }
    return gone;
  }

  #newActor(partition: number): PartitionActor {
    const { bus, redis, snapshots, logger, metrics, clock, config } = this.deps;
    return new PartitionActor({
      partition,
      bus,
      redis,
      snapshots,
      logger,
      metrics,
      clock,
      batchMax: config.BATCH_MAX,
      snapshotEveryCommands: config.SNAPSHOT_EVERY_COMMANDS,
      snapshotEveryMs: config.SNAPSHOT_EVERY_MS,
      // The project's one pull policy (@rush/bus PULL_WINDOW): 30 s pulls, heartbeats every second.
      pullExpiresMs: PULL_WINDOW.expiresMs,
      pullHeartbeatMs: PULL_WINDOW.heartbeatMs,
    });
  }

  async #startActor(partition: number, owned: Owned): Promise<void> {
    try {
      await owned.actor.start();
      owned.actor.done.catch((error) => {
        this.deps.logger.error({ partition, err: error }, "partition actor failed; restarting from its snapshot");
        owned.failed = true;
        this.#restartSoon();
      });
    } catch (error) {
      this.deps.logger.error({ partition, err: error }, "partition actor could not start; retrying");
      owned.failed = true;
      this.#restartSoon();
    }
  }

  /**
   * A failed actor (most often: an event's PubAck lost as nats-server restarts) is restarted in a
   * moment, not at the next lease tick: waiting for the tick was up to LEASE_RENEW_MS (1.5 s) more
   * of a partition's pause. One timer for all of them; a start that fails again comes back here.
   */
  #restartSoon(): void {
    if (this.#restartTimer || this.#stopped) return;
    // Backing off while they keep failing (a server still down): a restart is a snapshot load,
    // a new consumer and a replay, and every 200 ms of that for a whole outage was churn.
    const delay = Math.min(this.deps.config.LEASE_RENEW_MS, RESTART_AFTER_MS * 2 ** this.#failedRestarts++);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.#queueTick();
    }, delay);
    this.#restartTimer.unref();
  }

  async #handBack(partition: number): Promise<void> {
    const owned = this.#owned.get(partition);
    if (!owned) return;
    this.#owned.delete(partition);
    await owned.actor.stop({ snapshot: true });
    await this.deps.leases.release(partition, owned.revision);
    if (!this.#stopped) this.deps.logger.info({ partition }, "partition handed back for rebalancing");
  }

  /** Graceful stop: drain every actor, snapshot, give the leases back so others take over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearInterval(this.#starvedTimer);
    clearTimeout(this.#restartTimer);
    await this.#ticking.catch(() => {});
    await Promise.all(this.partitions.map((p) => this.#handBack(p)));
    await this.deps.leases.forgetWorker(this.deps.config.WORKER_ID);
    this.#alive?.unsubscribe();
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

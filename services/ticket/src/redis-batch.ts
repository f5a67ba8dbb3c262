import { COMMAND_RESULT_TTL_MS, type WaitlistRecord, encodeHeld, redisKeys } from "@rush/contracts";
import { type SlotPipeline, isRedisCluster } from "@rush/service";
import type { ChainableCommander, Redis } from "ioredis";
import { EXTEND_LUA, FREE_LUA, HOLD_LUA, SELL_LUA } from "./fence-scripts.ts";
import { turnPipeline } from "./turn-pipeline.ts";

/** A lock outlives its hold by this much, so it never lapses before the actor's own expiry runs. */
export const LOCK_GRACE_MS = 5_000;
/** Hold views stay readable this long after their last change. */
const HOLD_VIEW_TTL_MS = 24 * 3_600_000;
const HSET_CHUNK = 1_000;
/** A buyer's waiting-list entries stay readable this long after their last change (offers included). */
const WAITLIST_VIEW_TTL_MS = 7 * 24 * 3_600_000;
/** A change set nobody took (no notification running) goes after this long. */
const SEAT_CHANGES_TTL_MS = 600_000;

/** Registers the fence scripts on a client (EVALSHA with automatic script loading). */
export function defineFenceScripts(redis: Redis): void {
  redis.defineCommand("rushHold", { lua: HOLD_LUA });
  redis.defineCommand("rushFree", { lua: FREE_LUA });
  redis.defineCommand("rushSell", { lua: SELL_LUA });
  redis.defineCommand("rushExtend", { lua: EXTEND_LUA });
}

type FencePipeline = ChainableCommander & {
  rushHold(numKeys: number, ...args: (string | number)[]): ChainableCommander;
  rushFree(numKeys: number, ...args: (string | number)[]): ChainableCommander;
  rushSell(numKeys: number, ...args: (string | number)[]): ChainableCommander;
  rushExtend(numKeys: number, ...args: (string | number)[]): ChainableCommander;
};

/** What the fence said about the batch's grants and sales. */
export interface FenceOutcome {
  /** holdId → seats another hold has locked: the hold must be revoked. */
  refusedHolds: Map<string, string[]>;
  /** holdId → seats another hold has locked at sale time (split brain; logged and counted). */
  soldConflicts: Map<string, string[]>;
}

/**
 * One batch's Redis work, sent as ONE pipeline: fence scripts, read model, hold views, command
 * results and version bumps, in the order the actor decided them (on a Redis Cluster, one
 * pipeline per node group; a session's commands share its slot, so they keep their order). The
 * batches of every partition exec'd in one event-loop turn share that pipeline (turn-pipeline.ts).
 */
export class RedisBatch {
  readonly #pipeline: SlotPipeline<FencePipeline>;
  readonly #holdChecks: { index: number; holdId: string }[] = [];
  readonly #sellChecks: { index: number; holdId: string }[] = [];
  readonly #touched = new Set<string>();
  /** sessionId → seats whose status this batch changed (for live seat-map deltas). */
  readonly #changes = new Map<string, string[]>();
  readonly #redis: Redis;
  #count = 0;

  constructor(redis: Redis) {
    this.#redis = redis;
    this.#pipeline = turnPipeline<FencePipeline>(redis);
  }

  get size(): number {
    return this.#count;
  }

  #locks(sessionId: string, seatIds: readonly string[]): string[] {
    return seatIds.map((seatId) => redisKeys.seatLock(sessionId, seatId));
  }

  hold(sessionId: string, holdId: string, buyerId: string, seatIds: readonly string[], expiresAt: number): void {
    const keys = [redisKeys.seatMap(sessionId), ...this.#locks(sessionId, seatIds)];
    this.#pipeline.add(keys[0]!, (p) => p.rushHold(keys.length, ...keys, holdId, encodeHeld(buyerId), expiresAt + LOCK_GRACE_MS, ...seatIds));
    this.#holdChecks.push({ index: this.#count++, holdId });
    this.#touched.add(sessionId);
  }

  free(sessionId: string, holdId: string, seatIds: readonly string[]): void {
    if (seatIds.length === 0) return;
    const keys = [redisKeys.seatMap(sessionId), ...this.#locks(sessionId, seatIds)];
    this.#pipeline.add(keys[0]!, (p) => p.rushFree(keys.length, ...keys, holdId, ...seatIds));
    this.#count++;
    this.#touched.add(sessionId);
  }

  sell(sessionId: string, holdId: string, seatIds: readonly string[]): void {
    const keys = [redisKeys.seatMap(sessionId), ...this.#locks(sessionId, seatIds)];
    this.#pipeline.add(keys[0]!, (p) => p.rushSell(keys.length, ...keys, holdId, ...seatIds));
    this.#sellChecks.push({ index: this.#count++, holdId });
    this.#touched.add(sessionId);
  }

  extend(sessionId: string, holdId: string, seatIds: readonly string[], expiresAt: number): void {
    const keys = this.#locks(sessionId, seatIds);
    this.#pipeline.add(keys[0] ?? redisKeys.seatMap(sessionId), (p) => p.rushExtend(keys.length, ...keys, holdId, expiresAt + LOCK_GRACE_MS));
    this.#count++;
  }

  /** Read-model only (loads, blocks, unblocks, resyncs): no fence involved. */
  statuses(sessionId: string, entries: readonly (readonly [seatId: string, value: string])[]): void {
    for (let i = 0; i < entries.length; i += HSET_CHUNK) {
      const fields = Object.fromEntries(entries.slice(i, i + HSET_CHUNK));
      this.#pipeline.add(redisKeys.seatMap(sessionId), (p) => p.hset(redisKeys.seatMap(sessionId), fields));
      this.#count++;
    }
    if (entries.length > 0) this.#touched.add(sessionId);
  }

  /** One command per `add` (results are read back by index). Keys of a session share its slot. */
  #one(key: string, apply: (p: FencePipeline) => unknown): void {
    this.#pipeline.add(key, apply);
    this.#count++;
  }

  #waitlistEntry(sessionId: string, buyerId: string, record: WaitlistRecord): void {
    const buyer = redisKeys.waitlist(sessionId).buyer(buyerId);
    this.#one(buyer, (p) => p.hset(buyer, record.areaId, JSON.stringify(record)));
    this.#one(buyer, (p) => p.pexpire(buyer, WAITLIST_VIEW_TTL_MS));
  }

  /** Puts a buyer on an area's list at `seq` (read model: their place and their entry). */
  waitlistPlace(sessionId: string, buyerId: string, seq: number, record: WaitlistRecord): void {
    const queue = redisKeys.waitlist(sessionId).queue(record.areaId);
    this.#one(queue, (p) => p.zadd(queue, seq, buyerId));
    this.#waitlistEntry(sessionId, buyerId, record);
  }

  /** Takes an offered buyer off the list; their entry now shows the offer. */
  waitlistOffer(sessionId: string, buyerId: string, record: WaitlistRecord): void {
    const queue = redisKeys.waitlist(sessionId).queue(record.areaId);
    this.#one(queue, (p) => p.zrem(queue, buyerId));
    this.#waitlistEntry(sessionId, buyerId, record);
  }

  waitlistLeave(sessionId: string, areaId: string, buyerId: string): void {
    const keys = redisKeys.waitlist(sessionId);
    const queue = keys.queue(areaId);
    this.#one(queue, (p) => p.zrem(queue, buyerId));
    this.#one(queue, (p) => p.hdel(keys.buyer(buyerId), areaId));
  }

  /** Empties an area's list before a resync writes it again (buyers who left meanwhile go). */
  waitlistReset(sessionId: string, areaId: string): void {
    const queue = redisKeys.waitlist(sessionId).queue(areaId);
    this.#one(queue, (p) => p.del(queue));
  }

  holdView(holdId: string, view: object): void {
    const key = redisKeys.hold(holdId);
    const json = JSON.stringify(view);
    this.#pipeline.add(key, (p) => p.set(key, json, "PX", HOLD_VIEW_TTL_MS));
    this.#count++;
  }

  /**
   * Stores a command's outcome (`reply`: the SeatReply as JSON). Write-once: a copy of the command
   * seen again (re-sent after a lost PubAck, or replayed) must not replace the first answer with
   * "duplicate"; only `correct` (a fence refusal rewriting a grant) replaces it.
   */
  result(commandId: string, reply: string, mode: "first" | "correct" = "first"): void {
    const key = redisKeys.commandResult(commandId);
    if (mode === "first") this.#pipeline.add(key, (p) => p.set(key, reply, "PX", COMMAND_RESULT_TTL_MS, "NX"));
    else this.#pipeline.add(key, (p) => p.set(key, reply, "PX", COMMAND_RESULT_TTL_MS));
    this.#count++;
  }

  /** Seats whose status changed, added to the session's change set for the next live delta. */
  changed(sessionId: string, seatIds: readonly string[]): void {
    const seats = this.#changes.get(sessionId);
    if (seats) seats.push(...seatIds);
    else this.#changes.set(sessionId, [...seatIds]);
  }

  /**
   * Sends everything in one round trip; bumps the version of every session the batch changed and
   * adds its changed seats to the session's change set (live seat-map deltas read it: the seat
   * events themselves no longer need a delivery and an ack per hold to the notification service).
   */
  async exec(): Promise<FenceOutcome> {
    for (const sessionId of this.#touched) {
      const key = redisKeys.seatMapVersion(sessionId);
      this.#pipeline.add(key, (p) => p.incr(key));
      this.#count++;
    }
    for (const [sessionId, seatIds] of this.#changes) {
      const key = redisKeys.seatChanges(sessionId);
      for (let i = 0; i < seatIds.length; i += HSET_CHUNK) {
        const chunk = seatIds.slice(i, i + HSET_CHUNK);
        this.#one(key, (p) => p.sadd(key, ...chunk));
      }
      this.#one(key, (p) => p.pexpire(key, SEAT_CHANGES_TTL_MS));
    }
    // One Redis runs a pipeline in order: the sessions can be named in it, after their change sets.
    const namedHere = this.#changes.size > 0 && !isRedisCluster(this.#redis);
    if (namedHere) this.#one(redisKeys.changedSessions, (p) => p.sadd(redisKeys.changedSessions, ...this.#changes.keys()));
    const outcome: FenceOutcome = { refusedHolds: new Map(), soldConflicts: new Map() };
    if (this.#count === 0) return outcome;
    const results = await this.#pipeline.exec();
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    for (const { index, holdId } of this.#holdChecks) {
      const conflicts = results[index]?.[1] as string[];
      if (conflicts.length > 0) outcome.refusedHolds.set(holdId, conflicts);
    }
    for (const { index, holdId } of this.#sellChecks) {
      const conflicts = results[index]?.[1] as string[];
      if (conflicts.length > 0) outcome.soldConflicts.set(holdId, conflicts);
    }
    if (this.#changes.size > 0 && !namedHere) this.#announce([...this.#changes.keys()]);
    return outcome;
  }

  /**
   * On a Redis Cluster, names the changed sessions once their change sets are written (the
   * pipeline's node groups run side by side: named in the same pipeline, a session could be
   * taken before its seats landed). Nothing waits on it: if it is lost, the seats wait for the
   * session's next change, and a seat map the browser reloads is read from the read model. On one
   * Redis the batch's own pipeline names them, last: a round trip and a wake-up less a batch
   * (at half load, a hold), which cost the worker ~26 µs a hold there (docs/benchmarks.md).
   */
  #announce(sessionIds: string[]): void {
    const marker = turnPipeline(this.#redis);
    marker.add(redisKeys.changedSessions, (p) => p.sadd(redisKeys.changedSessions, ...sessionIds));
    marker.exec().catch(() => {});
  }
}

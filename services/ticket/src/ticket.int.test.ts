import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  type Bus,
  REPLY_TO_HEADER,
  type SeatCommandClient,
  connectBus,
  createSeatCommandClient,
  decode,
  ensureTopology,
  newTraceContext,
  loadTopology,
  publish,
} from "@rush/bus";
import { KV_BUCKETS, SeatCommand, SeatEvent, STREAMS, partitionOf, readHoldRejections, redisKeys, seatCommandSubject } from "@rush/contracts";
import { createLogger, createMetrics, createRedis, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, startNats, startRedis } from "@rush/testkit";
import { createInbox, headers as natsHeaders } from "@nats-io/transport-node";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildTicketService } from "./app.ts";
import { TicketConfig } from "./config.ts";
import { SnapshotStore } from "./snapshot-store.ts";
import { TEST_AREA_CONFIG, gridSeats, loadInventory } from "./test-support.ts";
import type { Worker } from "./worker.ts";

const PARTITIONS = 8;

describe("ticket worker", () => {
  let nats: NatsServer;
  let redisServer: RedisServer;
  let bus: Bus;
  let redis: Redis;
  let seats: SeatCommandClient;
  let worker: Worker;
  let stopWorker: () => Promise<void>;
  let renewals: () => Promise<number>;
  let starved: () => Promise<number>;
  let snapshotAges: () => Promise<Map<number, number>>;
  let histogram: (name: string) => Promise<{ count: number; sum: number }>;
  const sessionId = randomUUID();

  async function startWorker(id: string) {
    const config = TicketConfig.parse({ NODE_ENV: "test", WORKER_ID: id, PARTITIONS, SNAPSHOT_EVERY_MS: 200, LEASE_RENEW_MS: 300 });
    const workerBus = await connectBus({ servers: nats.url, name: id });
    const workerRedis = createRedis(redisServer.url, id);
    const metrics = createMetrics("ticket-test");
    const built = await buildTicketService({
      config,
      bus: workerBus,
      redis: workerRedis,
      logger: createLogger("ticket-test", process.env.TICKET_TEST_LOG ?? "silent"),
      metrics,
    });
    await built.worker.start();
    return {
      worker: built.worker,
      /** Command consumers this worker replaced so far (`seat_command_consumer_renewals_total`). */
      renewals: async () => (await metrics.getSingleMetric("seat_command_consumer_renewals_total")!.get()).values[0]?.value ?? 0,
      /** Of those, replaced because the server stopped serving them (`seat_command_consumer_starved_total`). */
      starved: async () => (await metrics.getSingleMetric("seat_command_consumer_starved_total")!.get()).values[0]?.value ?? 0,
      /** Partition → seconds since its last snapshot, as scraped (`seat_snapshot_age_seconds`). */
      snapshotAges: async () =>
        new Map((await metrics.getSingleMetric("seat_snapshot_age_seconds")!.get()).values.map((v) => [Number(v.labels.partition), v.value])),
      /** A histogram's count and sum of seconds, as scraped. */
      histogram: async (name: string) => {
        const values = (await metrics.getSingleMetric(name)!.get()).values;
        const of = (suffix: string) => values.find((v) => (v as { metricName?: string }).metricName === `${name}${suffix}`)?.value ?? 0;
        return { count: of("_count"), sum: of("_sum") };
      },
      stop: async () => {
        await built.worker.stop();
        await workerBus.close();
        workerRedis.disconnect();
      },
    };
  }

  /** The newest event stored on `subject`, decoded; null while there is none (or no stream). */
  const lastEvent = async (subject: string) => {
    const stored = await bus.jsm.streams.getMessage(STREAMS.seatEvents, { last_by_subj: subject }).catch(() => null);
    return stored ? decode(SeatEvent, stored.data) : null;
  };
  // Late-bound: `redis` is assigned in beforeAll.
  const lookup = (commandId: string) => seatReplyLookup(redis)(commandId);
  const hold = (buyerId: string, seatIds: string[], areaId = "A", commandId = randomUUID()) =>
    seats.send({ type: "HoldSeats", commandId, sessionId, areaId, now: Date.now(), holdId: randomUUID(), buyerId, seatIds }, { timeoutMs: 5000 });

  /** The command consumers at the server (one per running partition, if none is left behind). */
  const commandConsumers = async () => {
    const names: string[] = [];
    for await (const info of bus.jsm.consumers.list(STREAMS.seatCommands)) names.push(info.name);
    return names;
  };

  /** Sends one hold again and again under the same command id, as the gate retries, until the actor answers it. */
  const holdUntilAnswered = (buyerId: string, seatId: string, areaId: string, wait: { perTryMs: number; timeoutMs: number; intervalMs: number }) => {
    const command = { type: "HoldSeats" as const, commandId: randomUUID(), sessionId, areaId, holdId: randomUUID(), buyerId, seatIds: [seatId] };
    return vi.waitFor(
      async () => {
        const o = await seats.send({ ...command, now: Date.now() }, { timeoutMs: wait.perTryMs });
        if (o.status !== "done") throw new Error("not answered yet");
        return o;
      },
      { timeout: wait.timeoutMs, interval: wait.intervalMs },
    );
  };

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    bus = await connectBus({ servers: nats.url, name: "ticket-test-client" });
    await ensureTopology(bus, await loadTopology());
    redis = createRedis(redisServer.url, "ticket-test-client");
    seats = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup });
    ({ worker, stop: stopWorker, renewals, starved, snapshotAges, histogram } = await startWorker("w1"));
    for (const areaId of ["A", "B"]) {
      const outcome = await seats.send(loadInventory(sessionId, areaId, gridSeats(areaId, 10, 20)), { timeoutMs: 10_000 });
      expect(outcome.status).toBe("done");
    }
  });
  afterAll(async () => {
    await stopWorker?.();
    await seats?.close();
    redis?.disconnect();
    await bus?.close();
    await Promise.all([nats?.dispose(), redisServer?.dispose()]);
  });

  it("ticket: a worker alone takes every partition and loads inventory into the read model", async () => {
    expect(worker.partitions).toHaveLength(PARTITIONS);
    expect(await redis.hget(redisKeys.seatMap(sessionId), "A-1-1")).toBe("a");
    expect(await redis.hlen(redisKeys.seatMap(sessionId))).toBe(400);
  });

  it("ticket: a hold is granted, fenced in Redis, shown in the read model and published", async () => {
    const outcome = await hold("buyer-1", ["A-1-1", "A-1-2"]);
    expect(outcome.status).toBe("done");
    if (outcome.status !== "done") return;
    const held = outcome.reply.events.find((e) => e.type === "SeatsHeld");
    expect(held).toMatchObject({ buyerId: "buyer-1", seatIds: ["A-1-1", "A-1-2"] });
    if (held?.type !== "SeatsHeld") return;
    expect(await redis.get(redisKeys.seatLock(sessionId, "A-1-1"))).toBe(held.holdId);
    expect(await redis.pttl(redisKeys.seatLock(sessionId, "A-1-1"))).toBeGreaterThan(50_000);
    expect(await redis.hget(redisKeys.seatMap(sessionId), "A-1-2")).toBe("h:buyer-1");
    expect(JSON.parse((await redis.get(redisKeys.hold(held.holdId)))!)).toMatchObject({ status: "held", sessionId, areaId: "A" });
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    // The reply waits for the fence, not for the stream's PubAck: the event lands moments later.
    await expect.poll(() => lastEvent(`seat.locked.${partition}`), { timeout: 5000 }).toEqual({ ok: true, value: held });
  });

  it("ticket: a hold's wait is split where the server stored it: stamp → in the stream, within stamp → worker has it", async () => {
    const [storedBefore, deliveryBefore] = await Promise.all([histogram("seat_hold_stored_seconds"), histogram("seat_hold_delivery_seconds")]);
    // Stamped 300 ms before it is sent, as if the gate had waited on Redis that long.
    const command = { type: "HoldSeats" as const, commandId: randomUUID(), sessionId, areaId: "B", now: Date.now() - 300, holdId: randomUUID(), buyerId: randomUUID(), seatIds: ["B-10-20"] };
    expect((await seats.send(command, { timeoutMs: 5000 })).status).toBe("done");
    const [stored, delivery] = await Promise.all([histogram("seat_hold_stored_seconds"), histogram("seat_hold_delivery_seconds")]);
    expect(stored.count - storedBefore.count).toBe(1);
    expect(delivery.count - deliveryBefore.count).toBe(1);
    const toStream = stored.sum - storedBefore.sum;
    // The server's timestamp, in ms like the stamp: the 300 ms and a local publish, not nanoseconds.
    expect(toStream).toBeGreaterThanOrEqual(0.29);
    expect(toStream).toBeLessThan(2);
    expect(toStream).toBeLessThanOrEqual(delivery.sum - deliveryBefore.sum + 0.002);
  });

  it("ticket: a seat already held is refused, naming it, and nothing changes", async () => {
    const before = await redis.get(redisKeys.seatLock(sessionId, "A-1-1"));
    const outcome = await hold("buyer-2", ["A-1-1", "A-1-3"]);
    expect(outcome.status === "done" && outcome.reply.events).toEqual([
      expect.objectContaining({ type: "HoldRejected", reason: "unavailable", unavailable: ["A-1-1"] }),
    ]);
    expect(await redis.get(redisKeys.seatLock(sessionId, "A-1-1"))).toBe(before);
    expect(await redis.hget(redisKeys.seatMap(sessionId), "A-1-3")).toBe("a");
  });

  it("ticket: a retried command (same id) is stored once and answered with the first outcome", async () => {
    const commandId = randomUUID();
    const first = await hold("buyer-3", ["B-2-1"], "B", commandId);
    const again = await hold("buyer-3", ["B-2-1"], "B", commandId);
    expect(first.status).toBe("done");
    expect(again).toEqual(first);
  });

  it("ticket: best available keeps a group side by side", async () => {
    const outcome = await seats.send(
      { type: "HoldBestAvailable", commandId: randomUUID(), sessionId, areaId: "B", now: Date.now(), holdId: randomUUID(), buyerId: "buyer-4", quantity: 4 },
      { timeoutMs: 5000 },
    );
    const held = outcome.status === "done" ? outcome.reply.events[0] : undefined;
    expect(held?.type).toBe("SeatsHeld");
    if (held?.type !== "SeatsHeld") return;
    const rows = new Set(held.seatIds.map((id) => id.split("-")[1]));
    const numbers = held.seatIds.map((id) => Number(id.split("-")[2])).sort((a, b) => a - b);
    expect(rows.size).toBe(1);
    expect(numbers.at(-1)! - numbers[0]!).toBe(3);
  });

  it("ticket: commands sent in one turn travel as one message, and each gets its own answer", async () => {
    // No result-store lookup first, so all ten are queued within this turn.
    const client = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup, lookupFirst: false });
    try {
      const ids = Array.from({ length: 10 }, () => randomUUID());
      const outcomes = await Promise.all(
        ids.map((commandId, i) =>
          client.send({ type: "HoldSeats", commandId, sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: `buyer-b${i}`, seatIds: [`A-8-${i + 1}`] }),
        ),
      );
      outcomes.forEach((outcome, i) => {
        expect(outcome.status === "done" && outcome.reply.events[0]).toMatchObject({ type: "SeatsHeld", seatIds: [`A-8-${i + 1}`] });
      });
      const seqs = new Set(outcomes.map((outcome) => (outcome.status === "done" ? outcome.reply.seq : 0)));
      expect(seqs.size).toBe(1);
      const stored = await bus.jsm.streams.getMessage(STREAMS.seatCommands, { seq: [...seqs][0]! });
      const body = stored!.json<{ type: string; entries: { command: SeatCommand }[] }>();
      expect(body.type).toBe("SeatCommandBatch");
      expect(body.entries.map((entry) => entry.command.commandId)).toEqual(ids);
    } finally {
      await client.close();
    }
  });

  it("ticket: the refusals of one batch are recorded as one seat.lock.failed message; a lone refusal alone", async () => {
    const client = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup, lookupFirst: false });
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    try {
      for (let i = 1; i <= 10; i++) expect((await hold(`buyer-r-owner${i}`, [`A-6-${i}`])).status).toBe("done");
      // Ten holds on those seats in one turn, each refused.
      const ids = Array.from({ length: 10 }, () => randomUUID());
      const traces = ids.map(() => newTraceContext());
      const outcomes = await Promise.all(
        ids.map((commandId, i) =>
          client.send(
            { type: "HoldSeats", commandId, sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: `buyer-r${i}`, seatIds: [`A-6-${i + 1}`] },
            { trace: traces[i]! },
          ),
        ),
      );
      for (const outcome of outcomes) expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("HoldRejected");
      const lastRefusals = async () => {
        const stored = await bus.jsm.streams.getMessage(STREAMS.seatEvents, { last_by_subj: `seat.lock.failed.${partition}` }).catch(() => null);
        return stored ? { type: stored.header?.get("rush-type"), entries: readHoldRejections(stored.json()) } : null;
      };
      await expect.poll(async () => (await lastRefusals())?.entries.map((e) => e.event.commandId), { timeout: 5000 }).toEqual(ids);
      const batch = (await lastRefusals())!;
      expect(batch.type).toBe("HoldRejectedBatch");
      expect(batch.entries.map((e) => e.correlationId)).toEqual(traces.map((t) => t.correlationId));
      expect(batch.entries.every((e) => e.event.reason === "unavailable")).toBe(true);

      const lone = await hold("buyer-r-lone", ["A-6-1"]);
      expect(lone.status === "done" && lone.reply.events[0]?.type).toBe("HoldRejected");
      await expect.poll(async () => (await lastRefusals())?.entries.map((e) => e.event.commandId), { timeout: 5000 }).toEqual([
        lone.status === "done" ? lone.reply.commandId : "",
      ]);
      expect((await lastRefusals())!.type).toBe("HoldRejected");
    } finally {
      await client.close();
    }
  });

  it("ticket: a malformed entry of a batch is skipped alone; the others are applied and answered", async () => {
    const inbox = createInbox();
    const answers = bus.nc.subscribe(inbox, { max: 1 });
    const good = { type: "HoldSeats", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: "buyer-p", seatIds: ["A-9-1"] };
    const bad = { ...good, commandId: randomUUID(), holdId: randomUUID(), seatIds: [] };
    const h = natsHeaders();
    h.set(REPLY_TO_HEADER, inbox);
    const body = { type: "SeatCommandBatch", entries: [{ command: bad }, { command: good }] };
    bus.nc.publish(seatCommandSubject(partitionOf(sessionId, "A", PARTITIONS)), JSON.stringify(body), { headers: h });
    let answer: unknown;
    for await (const msg of answers) answer = msg.json();
    expect(answer).toEqual([expect.objectContaining({ commandId: good.commandId, events: [expect.objectContaining({ type: "SeatsHeld", seatIds: ["A-9-1"] })] })]);
    expect(await lookup(bad.commandId)).toBeNull();
  });

  it("ticket: a command's stored answer is its first; a later copy of the command does not replace it", async () => {
    const granted = await hold("buyer-w", ["A-10-1"]);
    const held = granted.status === "done" ? granted.reply.events[0] : undefined;
    if (held?.type !== "SeatsHeld") throw new Error("hold not granted");
    const release = { type: "ReleaseHold" as const, commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId: held.holdId, buyerId: "buyer-w" };
    const first = await seats.send(release);
    expect(first.status === "done" && first.reply.events[0]?.type).toBe("HoldReleased");
    // The same command again under another msg-id, as after a batch whose PubAck was lost: the
    // stream keeps both, and the copy decides "rejected" — which must not become the answer.
    await publish(bus, seatCommandSubject(partitionOf(sessionId, "A", PARTITIONS)), SeatCommand, release, { msgId: `copy:${release.commandId}` });
    await hold("buyer-w2", ["A-10-2"]); // same partition, after the copy: the copy was applied
    expect(await lookup(release.commandId)).toEqual(first.status === "done" ? first.reply : null);
  });

  it("ticket: a hold expires by itself: time enters the log, seats come back", async () => {
    const shortSession = randomUUID();
    await seats.send(loadInventory(shortSession, "A", gridSeats("A", 1, 5), { ...TEST_AREA_CONFIG, holdTtlMs: 300 }), { timeoutMs: 10_000 });
    const outcome = await seats.send(
      { type: "HoldSeats", commandId: randomUUID(), sessionId: shortSession, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: "b", seatIds: ["A-1-1"] },
      { timeoutMs: 5000 },
    );
    expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
    await expect.poll(() => redis.hget(redisKeys.seatMap(shortSession), "A-1-1"), { timeout: 5000 }).toBe("a");
    expect(await redis.get(redisKeys.seatLock(shortSession, "A-1-1"))).toBeNull();
    const partition = partitionOf(shortSession, "A", PARTITIONS);
    await expect
      .poll(() => lastEvent(`seat.expired.${partition}`), { timeout: 5000 })
      .toMatchObject({ ok: true, value: { type: "HoldExpired", sessionId: shortSession } });
  });

  it("ticket: the Redis fence refuses a hold another owner locked; the hold is revoked through the log", async () => {
    // Another owner's lock (as a second worker running this partition by mistake would leave).
    await redis.set(redisKeys.seatLock(sessionId, "A-5-5"), "someone-else", "PX", 60_000);
    const commandId = randomUUID();
    const outcome = await hold("buyer-5", ["A-5-4", "A-5-5"], "A", commandId);
    const refused = [expect.objectContaining({ type: "HoldRejected", reason: "unavailable", unavailable: ["A-5-5"] })];
    expect(outcome.status === "done" && outcome.reply.events).toEqual(refused);
    // A retry that reads the result store hears the same refusal, not the grant memory made first,
    // and the hold's view says so too (rejected, then revoked once the revoke is applied).
    expect(JSON.parse((await redis.get(redisKeys.commandResult(commandId))) ?? "{}").events).toEqual(refused);
    const holdId = outcome.status === "done" ? (outcome.reply.events[0] as { holdId: string }).holdId : "";
    expect(JSON.parse((await redis.get(redisKeys.hold(holdId))) ?? "{}")).toMatchObject({ holdId, buyerId: "buyer-5", seatIds: [], status: expect.stringMatching(/^(rejected|revoked)$/) });
    // The revoke comes back through the partition's log and frees what memory had granted.
    await expect
      .poll(async () => {
        const partition = partitionOf(sessionId, "A", PARTITIONS);
        const state = worker.actor(partition)?.state;
        return state?.areas.get(`${sessionId}/A`)?.seats.get("A-5-4")?.status;
      }, { timeout: 5000 })
      .toBe("available");
    expect(await redis.get(redisKeys.seatLock(sessionId, "A-5-5"))).toBe("someone-else");
    expect(await redis.get(redisKeys.seatLock(sessionId, "A-5-4"))).toBeNull();
  });

  it("ticket: a poison command is skipped and the partition keeps going", async () => {
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    await bus.js.publish(seatCommandSubject(partition), new TextEncoder().encode('{"type":"HoldSeats","oops":true}'));
    const outcome = await hold("buyer-6", ["A-9-9"]);
    expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
  });

  it("ticket: an event the stream did not store is published again by the replay; no snapshot passes it", async () => {
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    const snapshots = await SnapshotStore.open(bus);
    // The events stream is gone and a bare subscriber takes its subject: publishes get no PubAck.
    await bus.jsm.streams.delete(STREAMS.seatEvents);
    const silent = bus.nc.subscribe(`seat.locked.${partition}`);
    try {
      const outcome = await hold("buyer-unacked", ["A-5-1"]);
      expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
      if (outcome.status !== "done") return;
      // Several snapshot intervals pass while the PubAck is missing: none may mark the hold done.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await snapshots.load(partition))?.seq ?? 0).toBeLessThan(outcome.reply.seq);
      silent.unsubscribe();
      await ensureTopology(bus, await loadTopology());
      const held = outcome.reply.events[0]!;
      await expect.poll(() => lastEvent(`seat.locked.${partition}`), { timeout: 30_000, interval: 250 }).toEqual({ ok: true, value: held });
      await expect.poll(async () => (await snapshots.load(partition))?.seq ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(outcome.reply.seq);
    } finally {
      silent.unsubscribe();
      await ensureTopology(bus, await loadTopology());
    }
  });

  it("ticket: a snapshot that cannot be stored holds up nothing: commands are answered, and a later snapshot lands", async () => {
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    // The snapshot bucket is gone: every save fails (a partition's snapshot is due every 200 ms here).
    await bus.jsm.streams.delete(`KV_${KV_BUCKETS.seatSnapshots}`);
    let last = 0;
    try {
      for (const [i, seat] of ["A-7-1", "A-7-2", "A-7-3"].entries()) {
        const outcome = await hold(`buyer-nosnap-${i}`, [seat]);
        expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
        if (outcome.status === "done") last = outcome.reply.seq;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(worker.actor(partition)?.caughtUp).toBe(true);
    } finally {
      await ensureTopology(bus, await loadTopology());
    }
    const snapshots = await SnapshotStore.open(bus);
    await expect.poll(async () => (await snapshots.load(partition))?.seq ?? 0, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(last);
  });

  it("ticket: partitions that come due for a snapshot together encode one per event-loop turn, and each gets its snapshot", async () => {
    // Areas of a new session on five different partitions, held in one burst: their actors go idle
    // in the same turn, so their snapshots come due in the same turn 200 ms later.
    const burstSession = randomUUID();
    const areaIds: string[] = [];
    const used = new Set<number>();
    for (let i = 0; areaIds.length < 5; i++) {
      const partition = partitionOf(burstSession, `S${i}`, PARTITIONS);
      if (!used.has(partition)) areaIds.push(`S${i}`);
      used.add(partition);
    }
    for (const areaId of areaIds) {
      expect((await seats.send(loadInventory(burstSession, areaId, gridSeats(areaId, 2, 2)), { timeoutMs: 10_000 })).status).toBe("done");
    }
    // Settle: the loads' own snapshots are taken before the burst.
    await new Promise((r) => setTimeout(r, 1_000));
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    tick();
    const encodedIn: number[] = [];
    const original = SnapshotStore.prototype.encode;
    const encode = vi.spyOn(SnapshotStore.prototype, "encode").mockImplementation(function (this: SnapshotStore, state, seq) {
      encodedIn.push(turn);
      return original.call(this, state, seq);
    });
    try {
      const outcomes = await Promise.all(
        areaIds.map((areaId) =>
          seats.send({ type: "HoldSeats", commandId: randomUUID(), sessionId: burstSession, areaId, now: Date.now(), holdId: randomUUID(), buyerId: `burst-${areaId}`, seatIds: [`${areaId}-1-1`] }, { timeoutMs: 5000 }),
        ),
      );
      const snapshots = await SnapshotStore.open(bus);
      for (const [i, outcome] of outcomes.entries()) {
        expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
        const partition = partitionOf(burstSession, areaIds[i]!, PARTITIONS);
        const seq = outcome.status === "done" ? outcome.reply.seq : Number.POSITIVE_INFINITY;
        await expect.poll(async () => (await snapshots.load(partition))?.seq ?? 0, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(seq);
      }
    } finally {
      ticking = false;
      encode.mockRestore();
    }
    expect(encodedIn.length).toBeGreaterThanOrEqual(areaIds.length);
    expect(new Set(encodedIn).size, `encodes by turn: ${encodedIn.join(",")}`).toBe(encodedIn.length);
    // The age is read when scraped: idle since their snapshots, the partitions' ages keep growing.
    const partitions = areaIds.map((areaId) => partitionOf(burstSession, areaId, PARTITIONS));
    const before = await snapshotAges();
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshotAges();
    for (const partition of partitions) expect(after.get(partition)! - before.get(partition)!, `partition ${partition}`).toBeGreaterThanOrEqual(0.4);
    expect(after.size).toBe(PARTITIONS);
  });

  it("ticket: after a Redis crash (kill -9, AOF loses up to a second) the worker writes locks and read model again", async () => {
    const granted = await hold("buyer-7", ["B-7-1", "B-7-2"], "B");
    const held = granted.status === "done" ? granted.reply.events[0] : undefined;
    expect(held?.type).toBe("SeatsHeld");
    await redisServer.kill();
    // The worst case of a crash: Redis comes back with nothing. The worker must restore it from memory.
    await rm(join(redisServer.dir, "appendonlydir"), { recursive: true, force: true });
    await redisServer.start();
    await expect.poll(() => redis.hget(redisKeys.seatMap(sessionId), "B-7-1"), { timeout: 10_000 }).toBe("h:buyer-7");
    expect(await redis.get(redisKeys.seatLock(sessionId, "B-7-2"))).toBe(held?.type === "SeatsHeld" ? held.holdId : "");
    // And the fence still refuses a second hold on those seats.
    const second = await hold("buyer-8", ["B-7-2"], "B");
    expect(second.status === "done" && second.reply.events[0]).toMatchObject({ type: "HoldRejected", unavailable: ["B-7-2"] });
  });

  it("ticket: after a Redis outage with holds failing, sales resume within seconds of Redis answering again", async () => {
    await redisServer.stop();
    // Holds asked during the outage fail (the fence cannot answer) and fail the actors.
    await Promise.all([hold("buyer-10", ["B-10-1"], "B"), hold("buyer-10", ["A-10-1"], "A")].map((p) => p.catch(() => undefined)));
    await new Promise((r) => setTimeout(r, 2_500));
    await redisServer.start();
    await expect.poll(() => redis.ping(), { timeout: 10_000, interval: 50 }).toBe("PONG");
    const back = performance.now();
    let attempt = 0;
    const granted = await vi.waitFor(
      async () => {
        const o = await hold("buyer-10", [`B-10-${2 + (attempt++ % 18)}`], "B");
        if (o.status !== "done" || o.reply.events[0]?.type !== "SeatsHeld") throw new Error("not granted yet");
        return o;
      },
      { timeout: 20_000, interval: 50 },
    );
    const afterMs = performance.now() - back;
    console.info(`recovery: first grant ${Math.round(afterMs)} ms after Redis answered again (bar: 3 s on a quiet machine)`);
    expect(granted.status).toBe("done");
  });

  it("ticket: a nats-server restart pauses the actors; they resume where they were without losing a command, and leave no consumer behind", async () => {
    await nats.stop();
    await nats.start();
    const back = performance.now();
    // Bounded well below the JetStream client's own retry after a failed post-reconnect check
    // (15–45 s): a partition stuck that long would lock its buyers out.
    const outcome = await holdUntilAnswered("buyer-9", "B-9-9", "B", { perTryMs: 2_000, timeoutMs: 12_000, intervalMs: 500 });
    console.info(`recovery: first answer ${Math.round(performance.now() - back)} ms after nats-server answered again`);
    expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
    expect(await redis.hget(redisKeys.seatMap(sessionId), "B-9-9")).toBe("h:buyer-9");
    // One command consumer per partition: the client's own recovery of a replaced one (its reset
    // re-creates it after a reconnect) kept pulling beside the new one before endConsumer.
    await expect.poll(commandConsumers, { timeout: 5_000 }).toHaveLength(PARTITIONS);
  });

  it("ticket: a nats-server that hangs (connections open, nothing answered) makes the actors read on through new consumers; sales resume at once", async (ctx) => {
    if (!nats.freeze || !nats.thaw) return ctx.skip();
    // Every partition running again after the restart above, its leases renewed since.
    await expect.poll(() => worker.caughtUp && worker.partitions.length === PARTITIONS, { timeout: 20_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await renewals();
    // Past two missed 1 s heartbeats (at most 3 s after the last one heard), short of two missed
    // 10 s pings (which would reconnect instead).
    await nats.freeze();
    await new Promise((r) => setTimeout(r, 3_500));
    await nats.thaw();
    const back = performance.now();
    // The client's own recovery of a silent pull waits 2.5–7.5 s; the actors' does not wait.
    const outcome = await holdUntilAnswered("buyer-hung-1", "A-3-1", "A", { perTryMs: 1_000, timeoutMs: 5_000, intervalMs: 250 });
    const answeredAfter = Math.round(performance.now() - back);
    expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
    expect(await redis.hget(redisKeys.seatMap(sessionId), "A-3-1")).toBe("h:buyer-hung-1");
    // The silence, not a reconnect, replaced them. (The first answer may come through the old pull,
    // alive again too, before the new ones are made.) Not necessarily all of them: on a slow
    // machine a lease tick stuck behind the freeze can pass the leases' margin, and the worker then
    // stops those actors instead ("lease lost") and starts them again on fresh consumers.
    await expect.poll(async () => (await renewals()) - before, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    // And the new consumers read on: a command sent after the handover is answered once.
    const after = await hold("buyer-hung-2", ["A-3-2"]);
    expect(after.status === "done" && after.reply.events.map((e) => e.type)).toEqual(["SeatsHeld"]);
    // The replaced consumers are deleted, not left at the server for their 5 min inactivity threshold.
    await expect.poll(commandConsumers, { timeout: 5_000 }).toHaveLength(PARTITIONS);
    console.info(`hung nats-server: first answer ${answeredAfter} ms after it ran again; ${(await renewals()) - before} command consumer(s) replaced`);
  });

  it("ticket: command consumers the server stops serving without a word are replaced before two missed heartbeats; their commands are answered", async () => {
    // What nats-server 2.9 was seen doing under load (@rush/bus starved-consumer.ts): the server holds no
    // pull for the consumer, the client believes it has one. Deleting the consumers at the server
    // leaves each actor the same silence (the client only stalls on the 409 it gets).
    const before = { starved: await starved(), renewals: await renewals() };
    const consumers = await commandConsumers();
    expect(consumers).toHaveLength(PARTITIONS);
    await Promise.all(consumers.map((name) => bus.jsm.consumers.delete(STREAMS.seatCommands, name)));
    const outcome = await vi.waitFor(
      async () => {
        const o = await hold("buyer-gone-1", ["A-4-1"]);
        if (o.status !== "done") throw new Error("not answered yet");
        return o;
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(outcome.status === "done" && outcome.reply.events[0]?.type).toBe("SeatsHeld");
    // Each actor noticed by asking the server after a quiet spell, not by two missed heartbeats.
    await expect.poll(async () => (await starved()) - before.starved, { timeout: 5_000 }).toBeGreaterThanOrEqual(PARTITIONS);
    const after = await hold("buyer-gone-2", ["A-4-2"]);
    expect(after.status === "done" && after.reply.events.map((e) => e.type)).toEqual(["SeatsHeld"]);
    console.info(`consumers deleted at the server: ${(await starved()) - before.starved} starved, ${(await renewals()) - before.renewals} renewed`);
  });

  it("ticket: an idle partition whose pull waits at the server is only quiet: nothing is replaced", async () => {
    const before = await starved();
    // Several quiet-spell checks' worth with no commands: heartbeats keep every actor heard.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await starved()) - before).toBe(0);
  });

  it("ticket: a busy partition that falls quiet is asked about after a quarter second, and is only quiet: nothing is replaced", async () => {
    const before = { starved: await starved(), renewals: await renewals() };
    // One command after another on one partition: its usual gap falls to a few ms, so a quarter
    // second of quiet makes it ask the server (@rush/bus starved-consumer.ts), which holds its pull.
    for (let i = 0; i < 40; i++) {
      const o = await hold(`buyer-busy-${i}`, ["A-8-1"]);
      expect(o.status).toBe("done");
    }
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await starved()) - before.starved).toBe(0);
    expect((await renewals()) - before.renewals).toBe(0);
    // And it still answers (A-8-1 is taken: the answer is a refusal).
    const after = await hold("buyer-busy-after", ["A-8-1"]);
    expect(after.status === "done" && after.reply.events[0]?.type).toBe("HoldRejected");
  });

  it("ticket: a worker stopped while its actors rewrite Redis still stops (no lost wake-up)", async () => {
    // The resync awaits Redis; a stop() landing inside that await once found no waiter to wake.
    worker.resyncAll();
    const hung = new Promise((_, reject) => setTimeout(() => reject(new Error("worker.stop() hung")), 30_000).unref());
    await Promise.race([stopWorker(), hung]);
    ({ worker, stop: stopWorker, renewals, starved, snapshotAges, histogram } = await startWorker("w1b"));
    await expect.poll(() => worker.caughtUp && worker.partitions.length === PARTITIONS, { timeout: 20_000 }).toBe(true);
  });

  it("ticket: a restarted worker restores its snapshot, replays the rest, and reaches the same state", async () => {
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    const before = worker.actor(partition)!.state;
    const beforeJson = JSON.stringify([...before.areas.get(`${sessionId}/A`)!.seats.values()]);
    await stopWorker();
    // A command appended while no worker runs is applied after the restore.
    await publish(bus, seatCommandSubject(partition), SeatCommand, {
      type: "HoldSeats", commandId: randomUUID(), sessionId, areaId: "A", now: Date.now(), holdId: randomUUID(), buyerId: "late", seatIds: ["A-10-20"],
    });
    const snapshot = await (await SnapshotStore.open(bus)).load(partition);
    expect(snapshot?.seq).toBeGreaterThan(0);
    ({ worker, stop: stopWorker } = await startWorker("w2"));
    await expect.poll(() => worker.actor(partition)?.caughtUp, { timeout: 10_000 }).toBe(true);
    const area = worker.actor(partition)!.state.areas.get(`${sessionId}/A`)!;
    expect(area.seats.get("A-10-20")?.status).toBe("held");
    area.seats.get("A-10-20")!.status = "available"; // compare the rest with what the first worker had
    area.seats.get("A-10-20")!.holdId = null;
    expect(JSON.stringify([...area.seats.values()])).toBe(beforeJson);
    area.seats.get("A-10-20")!.status = "held";
  });
});

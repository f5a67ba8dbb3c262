import { randomUUID } from "node:crypto";
import { connectBus, ensureTopology, loadTopology } from "@rush/bus";
import { redisKeys } from "@rush/contracts";
import { createRedis, hashSlot } from "@rush/service";
import { type TestCluster, startCluster } from "@rush/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginThrottle } from "../../catalog/src/identity/login-throttle.ts";
import { scoreRequest } from "../../gate/src/bot/bot-score.ts";
import { defineGrantScript, recordGrant } from "../../gate/src/holds/grants.ts";
import { createLiveHolds } from "../../gate/src/holds/live-holds.ts";
import { slidingWindowStore } from "../../gate/src/plugins/sliding-window-store.ts";
import { createSeatMapCache } from "../../gate/src/sessions/seat-map-cache.ts";
import { createWaitingRoom } from "../../gate/src/waiting-room/waiting-room.ts";
import { createSeatDeltas, notifyKeys } from "../../notification/src/seat-deltas.ts";
import { RedisBatch, defineFenceScripts } from "./redis-batch.ts";

/**
 * Every Lua script, MULTI and pipeline the services send, run on a real Redis Cluster (3 masters,
 * 3 replicas, from `infra.sh up --cluster`): a script whose keys left its hash slot fails here
 * with CROSSSLOT. Plus the NATS side: the topology at NATS_REPLICAS=3 is replicated on 3 nodes.
 */
describe("cluster: scripts and topology on a 3-node NATS cluster and a Redis Cluster", () => {
  let cluster: TestCluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster();
    redis = createRedis(cluster.env.REDIS_URL, "cluster-scripts-test");
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.dispose();
  });

  it("cluster: two sessions' keys live on different masters, so a mixed batch really spans nodes", async () => {
    const sessions = Array.from({ length: 12 }, () => randomUUID());
    const ranges = await redis.cluster("SLOTS");
    expect(ranges).toHaveLength(3); // three masters, each with a replica
    const masterOf = (slot: number) => ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
    const masters = new Set(sessions.map((s) => masterOf(hashSlot(redisKeys.seatMap(s)))));
    expect(masters.size).toBeGreaterThan(1);
  });

  it("cluster: the ticket fence (hold, extend, sell, free) and read model of two sessions in one batch", async () => {
    defineFenceScripts(redis);
    const [s1, s2] = [randomUUID(), randomUUID()];
    const until = Date.now() + 60_000;
    const batch = new RedisBatch(redis);
    batch.statuses(s1, [["A-1", "a"], ["A-2", "a"]]);
    batch.statuses(s2, [["B-1", "a"]]);
    batch.hold(s1, "h1", "buyer-1", ["A-1", "A-2"], until);
    batch.hold(s2, "h2", "buyer-2", ["B-1"], until);
    batch.hold(s1, "h3", "buyer-3", ["A-2"], until); // taken by h1: the fence refuses it
    batch.extend(s1, "h1", ["A-1", "A-2"], until + 1_000);
    batch.holdView("h1", { status: "held", sessionId: s1 });
    batch.result(`cmd-${randomUUID()}`, JSON.stringify({ ok: true }));
    const first = await batch.exec();
    expect([...first.refusedHolds.keys()]).toEqual(["h3"]);
    const second = new RedisBatch(redis);
    second.sell(s1, "h1", ["A-1", "A-2"]);
    second.free(s2, "h2", ["B-1"]);
    const outcome = await second.exec();
    expect(outcome.soldConflicts.size).toBe(0);
    expect(await redis.hgetall(redisKeys.seatMap(s1))).toEqual({ "A-1": "s", "A-2": "s" });
    expect(await redis.hget(redisKeys.seatMap(s2), "B-1")).toBe("a");
    expect(Number(await redis.get(redisKeys.seatMapVersion(s1)))).toBe(2);
  });

  it("cluster: the gate's waiting room, live holds, rate-limit window, bot score and seat-map cache", async () => {
    const sessionId = randomUUID();
    const now = Date.now();
    const room = createWaitingRoom(redis);
    const settings = { saleStartsAt: now - 1_000, saleEndsAt: now + 60_000, admitPerSecond: 1, shuffle: false };
    expect((await room.join(sessionId, "u1", settings, now)).rank).toBe(0);
    expect((await room.status(sessionId, "u1", settings, now))?.rank).toBe(0);

    const live = createLiveHolds(redis, 1);
    await redis.set(redisKeys.hold("old"), JSON.stringify({ status: "released" }));
    expect(await live.reserve(sessionId, "u1", "old", now, now + 60_000)).toBe(true);
    // The cap is reached: reserving again prunes (a GET per hold view across slots) and succeeds.
    expect(await live.reserve(sessionId, "u1", "new", now, now + 60_000)).toBe(true);
    // The gate defines it at start-up (holds route registration), as here.
    defineGrantScript(redis);
    await recordGrant(
      { redis, liveHolds: live },
      { sessionId, buyerId: "u1", holdId: "new", orderId: randomUUID(), expiresAt: now + 60_000, now, idempotent: { recordKey: "idem:{u1}:k", response: "{}" } },
    );
    expect(await redis.hget("idem:{u1}:k", "response")).toBe("{}");
    await live.forget(sessionId, "u1", "new");

    const Store = slidingWindowStore(redis);
    const store = new Store({} as never);
    const counted = await new Promise<{ current: number }>((resolve, reject) =>
      store.incr("1.2.3.4", (error, result) => (error || !result ? reject(error) : resolve(result)), 10_000, 5),
    );
    expect(counted.current).toBe(1);

    const score = await scoreRequest(redis, { userId: "u1", ip: "1.2.3.4", headers: {} }, now, { cadenceMax: 10, accountsPerIp: 5 });
    expect(score.score).toBeGreaterThan(0);

    await redis.hset(redisKeys.seatMap(sessionId), { "A-1": "a" });
    await redis.incr(redisKeys.seatMapVersion(sessionId));
    const map = await createSeatMapCache(redis).get(sessionId);
    expect(map.version).toBe(1);
  });

  it("cluster: the seat-map deltas (the actor's change set, then the coalesced flush) and the catalog's login throttle", async () => {
    const sessionId = randomUUID();
    const batch = new RedisBatch(redis);
    batch.statuses(sessionId, [["A-1", "s"]]);
    batch.changed(sessionId, ["A-1"]);
    await batch.exec();
    const sent: unknown[] = [];
    const errors: unknown[] = [];
    const deltas = createSeatDeltas(redis, { coalesceMs: 10, broadcast: (u) => sent.push(u), onError: (e) => errors.push(e) });
    deltas.start();
    await expect.poll(() => sent, { timeout: 10_000 }).toEqual([{ sessionId, version: 1, seq: 1, changes: [{ id: "A-1", status: "sold" }] }]);
    expect(errors).toEqual([]);
    expect(await deltas.position(sessionId)).toMatchObject({ seq: 1 });
    for (const key of Object.values(notifyKeys(sessionId))) expect(hashSlot(key)).toBe(hashSlot(redisKeys.seatMap(sessionId)));
    deltas.close();

    const throttle = createLoginThrottle(redis, { maxFailuresPerAccountIp: 2, maxFailuresPerIp: 10, maxFailuresPerAccount: 10, windowMs: 60_000 });
    expect(await throttle.attempt("a@example.com", "10.0.0.1")).toEqual({ allowed: true });
    await throttle.succeeded("a@example.com", "10.0.0.1");
  });

  it("cluster: every Redis node persists through its AOF alone (no RDB save points) and rewrites it only past 1 GB", async () => {
    // infra/lib/redis.sh's REDIS_PERSISTENCE, shared by the one-node stack: each RDB save or AOF
    // rewrite forks Redis, and the default 64 MB of AOF came round every ~15 s of a sale.
    expect(cluster.redisPorts).toHaveLength(6);
    for (const port of cluster.redisPorts) {
      const node = createRedis(`redis://127.0.0.1:${port}`, "cluster-persistence-test");
      try {
        expect(await node.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
        expect(await node.config("GET", "save")).toEqual(["save", ""]);
        expect(await node.config("GET", "auto-aof-rewrite-min-size")).toEqual(["auto-aof-rewrite-min-size", String(1024 ** 3)]);
      } finally {
        node.disconnect();
      }
    }
  });

  it("cluster: NATS_REPLICAS=3 puts every stream and KV bucket on all three nodes", async () => {
    const bus = await connectBus({ servers: cluster.env.NATS_URL, name: "cluster-topology-test" });
    try {
      await ensureTopology(bus, await loadTopology(undefined, { replicas: 3 }));
      for await (const stream of bus.jsm.streams.list()) {
        expect(stream.config.num_replicas, stream.config.name).toBe(3);
        expect(stream.cluster?.replicas ?? [], stream.config.name).toHaveLength(2);
      }
    } finally {
      await bus.close();
    }
  });
});

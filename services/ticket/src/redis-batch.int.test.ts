import { randomUUID } from "node:crypto";
import { redisKeys } from "@rush/contracts";
import { createRedis, isRedisCluster } from "@rush/service";
import { type RedisServer, redisReadsProcessed, startRedis } from "@rush/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisBatch, defineFenceScripts } from "./redis-batch.ts";

describe("RedisBatch: a batch's live seat-map changes (real Redis)", () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, "redis-batch-test");
    defineFenceScripts(redis);
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it("one Redis: the changed session is named in the batch's own round trip, after its change set, by the time exec resolves", async () => {
    const sessionId = randomUUID();
    const batch = new RedisBatch(redis);
    batch.hold(sessionId, "h1", "buyer-1", ["A-1", "A-2"], Date.now() + 60_000);
    batch.changed(sessionId, ["A-1", "A-2"]);

    const before = await redisReadsProcessed(redis);
    const outcome = await batch.exec();
    expect(outcome.refusedHolds.size).toBe(0);
    // Asked at once: a marker sent after the batch (as on a Redis Cluster) would not be there yet.
    expect(await redis.sismember(redisKeys.changedSessions, sessionId)).toBe(isRedisCluster(redis) ? 0 : 1);
    expect((await redis.smembers(redisKeys.seatChanges(sessionId))).sort()).toEqual(["A-1", "A-2"]);
    if (isRedisCluster(redis)) return; // INFO answers for one node only
    // Whatever the batch scheduled has run by the next turn. Reads: the batch, the two checks
    // above, the PING and the INFO that counts; a marker of its own would be a sixth.
    await new Promise((resolve) => setImmediate(resolve));
    await redis.ping();
    expect((await redisReadsProcessed(redis)) - before).toBeLessThanOrEqual(5);
  });
});

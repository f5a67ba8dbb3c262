import { randomUUID } from "node:crypto";
import { createRedis, isRedisCluster } from "@rush/service";
import { type RedisServer, redisReadsProcessed, startRedis } from "@rush/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { turnPipeline } from "./turn-pipeline.ts";

describe("turnPipeline: the pipelines of one event-loop turn share one round trip", () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, "turn-pipeline-test");
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it("each pipeline gets its own results, in its own order, and their commands run in exec order", async () => {
    const key = `turn:{${randomUUID()}}:n`;
    const pipelines = Array.from({ length: 5 }, () => {
      const pipeline = turnPipeline(redis);
      pipeline.add(key, (p) => p.incr(key));
      pipeline.add(key, (p) => p.incr(key));
      return pipeline;
    });
    const results = await Promise.all(pipelines.map((pipeline) => pipeline.exec()));
    expect(results.map((r) => r.map(([error, value]) => [error, value]))).toEqual(
      Array.from({ length: 5 }, (_, i) => [
        [null, 2 * i + 1],
        [null, 2 * i + 2],
      ]),
    );
  });

  it("a failed command fails only the pipeline it belongs to", async () => {
    const hash = `turn:{${randomUUID()}}:hash`;
    const counter = `turn:{${randomUUID()}}:n`;
    await redis.hset(hash, "a", "1");
    const bad = turnPipeline(redis);
    bad.add(hash, (p) => p.incr(hash)); // WRONGTYPE
    const good = turnPipeline(redis);
    good.add(counter, (p) => p.incr(counter));
    const [badResults, goodResults] = await Promise.all([bad.exec(), good.exec()]);
    expect(badResults[0]?.[0]).toBeInstanceOf(Error);
    expect(goodResults).toEqual([[null, 1]]);
  });

  it("eight pipelines exec'd in one turn cost Redis fewer reads than eight in turns of their own", async () => {
    if (isRedisCluster(redis)) {
      // On a cluster INFO answers for one node only; the grouping itself is slotPipeline's (tested there).
      const pings = [turnPipeline(redis), turnPipeline(redis)];
      for (const pipeline of pings) pipeline.add("x", (p) => p.ping());
      const results = await Promise.all(pings.map((pipeline) => pipeline.exec()));
      expect(results).toEqual([[[null, "PONG"]], [[null, "PONG"]]]);
      return;
    }
    const run = (pipeline: ReturnType<typeof turnPipeline>) => {
      const key = `turn:{${randomUUID()}}:n`;
      pipeline.add(key, (p) => p.incr(key));
      pipeline.add(key, (p) => p.pexpire(key, 10_000));
      return pipeline.exec();
    };
    let before = await redisReadsProcessed(redis);
    await Promise.all(Array.from({ length: 8 }, () => run(turnPipeline(redis))));
    const joined = (await redisReadsProcessed(redis)) - before;
    before = await redisReadsProcessed(redis);
    for (let i = 0; i < 8; i++) await run(turnPipeline(redis));
    const apart = (await redisReadsProcessed(redis)) - before;
    // Each count includes the INFO that reads it; apart, every pipeline is a read of its own.
    expect(apart).toBeGreaterThanOrEqual(8);
    expect(joined).toBeLessThanOrEqual(3);
  });
});

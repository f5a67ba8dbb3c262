import { type TestCluster, startCluster } from "@rush/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "./redis.ts";
import { hashSlot } from "./slot-pipeline.ts";

const INCR = "return redis.call('INCR', KEYS[1])";
type Scripted = Redis & { rushTestIncr(key: string): Promise<number> };

/** How many NOSCRIPT errors a node has answered since its stats were reset (Redis ≥ 6.2). */
const noscriptCount = async (node: Redis) => Number(/errorstat_NOSCRIPT:count=(\d+)/.exec(await node.info("errorstats"))?.[1] ?? 0);

const clusterState = async (node: Redis) => /cluster_state:(\w+)/.exec(await node.cluster("INFO"))?.[1];

const waitFor = async (what: string, check: () => Promise<boolean>) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * A script (`defineCommand`) across a Redis Cluster that answers CLUSTERDOWN for a while, as it
 * does while it restarts: ioredis retries the refused EVAL on the same connection, and before the
 * patch (patches/ioredis@5.11.1.patch) it had marked that connection as having the script when
 * it wrote the EVAL, so the retry went out as EVALSHA and met NOSCRIPT. With a few callers at once
 * the one resend after NOSCRIPT met the same mark, and the gate answered holds 500 (chaos run on
 * the cluster, 3 Dec 2026). The node's own error counter shows the wrong EVALSHA every time.
 */
describe("redis scripts on a Redis Cluster that is down for a moment", () => {
  let cluster: TestCluster;
  let redis: Scripted;
  let master: Redis;

  beforeAll(async () => {
    cluster = await startCluster(["redis"]);
    redis = createRedis(cluster.env.REDIS_URL, "scripts-test") as Scripted;
    redis.defineCommand("rushTestIncr", { numberOfKeys: 1, lua: INCR });
    await redis.ping();
  });
  afterAll(async () => {
    redis?.disconnect();
    master?.disconnect();
    await cluster?.dispose();
  });

  /** The master of `key`'s slot refuses it with CLUSTERDOWN while `during` starts its calls, then serves it again. */
  const slotDownWhile = async <T>(key: string, during: () => Promise<T>): Promise<T> => {
    const slot = hashSlot(key);
    const ranges = await redis.cluster("SLOTS");
    const port = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
    expect(port).toBeDefined();
    master?.disconnect();
    master = new Redis({ host: "127.0.0.1", port, lazyConnect: true });
    await master.connect();
    // The client's connection to that master is open, and the script has never run on it.
    await redis.set(key, "0");
    await master.config("RESETSTAT");
    await master.cluster("DELSLOTS", slot);
    await waitFor("the slot to be refused", async () => master.call("GET", key).then(() => false, (e: Error) => /CLUSTERDOWN/.test(e.message)));
    const calls = during();
    await new Promise((r) => setTimeout(r, 700)); // a few of ioredis' 200 ms retries
    await master.cluster("ADDSLOTS", slot);
    await waitFor("the cluster to be whole", async () => (await clusterState(master)) === "ok");
    return calls;
  };

  it("redis scripts: an EVAL refused with CLUSTERDOWN is retried as EVAL, never as a hash the node does not know", async () => {
    const key = "{scripts-test-1}:n";
    const answers = await Promise.allSettled(await slotDownWhile(key, async () => Array.from({ length: 8 }, () => redis.rushTestIncr(key))));
    expect(answers.filter((a) => a.status === "rejected").map((a) => String((a as PromiseRejectedResult).reason))).toEqual([]);
    expect(answers.map((a) => (a as PromiseFulfilledResult<number>).value).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await noscriptCount(master)).toBe(0);
    // Once an EVAL has run on the connection, the script goes by its hash again.
    expect(await redis.rushTestIncr(key)).toBe(9);
    expect(await noscriptCount(master)).toBe(0);
  });

  it("redis scripts: a pipeline of scripts refused with CLUSTERDOWN answers once the slot is served (as the ticket actor's batch)", async () => {
    const key = "{scripts-test-2}:n";
    const pipeline = (redis.pipeline() as unknown as { rushTestIncr(key: string): unknown; exec(): ReturnType<Redis["exec"]> });
    for (let i = 0; i < 3; i++) pipeline.rushTestIncr(key);
    // A retried pipeline gives each command a new promise: an answer must reach it, not a stale one.
    const results = await slotDownWhile(key, async () => pipeline.exec());
    expect(results).toEqual([[null, 1], [null, 2], [null, 3]]);
    expect(await noscriptCount(master)).toBe(0);
  });
});

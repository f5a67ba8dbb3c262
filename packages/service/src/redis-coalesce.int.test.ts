import { type RedisServer, type TestCluster, redisReadsProcessed, startCluster, startRedis } from "@rush/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coalesceWrites } from "./redis-coalesce.ts";
import { createRedis } from "./redis.ts";
import { hashSlot } from "./slot-pipeline.ts";

/**
 * Sends `count` commands in one turn from `client` and answers how many socket reads the server
 * needed for them, less the one that carried the counting INFO itself.
 */
async function readsForOneTurn(client: Redis, server: Redis, tag: string, count = 200): Promise<number> {
  const before = await redisReadsProcessed(server);
  const keys = Array.from({ length: count }, (_, i) => `coalesce:{${tag}}:${i}`);
  // Each its own command, issued as a busy gate issues its requests' calls: one after another in one turn.
  const written = await Promise.all(keys.map((key, i) => client.set(key, String(i))));
  const read = await Promise.all(keys.map((key) => client.get(key)));
  expect(written.every((answer) => answer === "OK")).toBe(true);
  // Replies still pair with their commands, in order.
  expect(read).toEqual(keys.map((_, i) => String(i)));
  return (await redisReadsProcessed(server)) - before - 1;
}

describe("coalesced Redis writes", () => {
  let server: RedisServer;
  let admin: Redis;

  beforeAll(async () => {
    server = await startRedis();
    admin = new Redis(server.url, { maxRetriesPerRequest: null });
    admin.on("error", () => {});
  });

  afterAll(async () => {
    admin?.disconnect();
    await server?.dispose();
  });

  it("a turn's commands reach Redis in a write or two, with every answer where it belongs; a client without it costs Redis a read per command or so", async () => {
    const coalesced = createRedis(server.url, "coalesce-test");
    coalesceWrites(coalesced);
    const plain = createRedis(server.url, "plain-test");
    try {
      await Promise.all([coalesced.ping(), plain.ping()]);
      const [withIt, without] = [await readsForOneTurn(coalesced, admin, "a"), await readsForOneTurn(plain, admin, "b")];
      // 400 commands in two turns (the SETs, then the GETs): one write each, which the server may
      // take in a few reads of its 16 KB buffer.
      expect(withIt).toBeLessThanOrEqual(6);
      // The control: how many of a plain client's writes Redis finds waiting together depends on
      // the machine, but never all 400 in as few reads.
      expect(without).toBeGreaterThan(withIt);
    } finally {
      coalesced.disconnect();
      plain.disconnect();
    }
  });

  it("a client already connected when it is asked to coalesce has its live connection corked", async () => {
    const client = createRedis(server.url, "coalesce-late-test");
    try {
      await client.ping();
      coalesceWrites(client);
      expect(await readsForOneTurn(client, admin, "e")).toBeLessThanOrEqual(6);
    } finally {
      client.disconnect();
    }
  });

  it("a command alone in its turn goes out without waiting for company, and after Redis restarts the new connection is coalesced too", async () => {
    const coalesced = createRedis(server.url, "coalesce-restart-test");
    coalesced.on("error", () => {});
    coalesceWrites(coalesced);
    try {
      await coalesced.set("coalesce:alone", "1");
      // From a timer, nothing else in its turn: answered as soon as Redis answers.
      expect(await new Promise((resolve) => setTimeout(() => resolve(coalesced.get("coalesce:alone")), 5))).toBe("1");
      await server.stop();
      await server.start();
      const deadline = Date.now() + 10_000;
      while (coalesced.status !== "ready" || admin.status !== "ready") {
        if (Date.now() > deadline) throw new Error(`not reconnected: ${coalesced.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await readsForOneTurn(coalesced, admin, "c")).toBeLessThanOrEqual(6);
    } finally {
      coalesced.disconnect();
    }
  });
});

describe("coalesced Redis writes on a Redis Cluster", () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startCluster(["redis"]);
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  it("every node's connection is coalesced: one slot's commands of a turn reach its master in a write or two", async () => {
    const client = createRedis(cluster.env.REDIS_URL, "coalesce-cluster-test");
    coalesceWrites(client);
    try {
      await client.set("coalesce:{d}:probe", "1");
      // The master that serves the tag's slot, asked directly (the client's slot map: "host:port" first).
      const owner = (client as unknown as { slots: string[][] }).slots[hashSlot("coalesce:{d}:probe")]?.[0];
      if (!owner) throw new Error("no master for the slot");
      const [ownerHost, ownerPort] = owner.split(":");
      const master = new Redis({ host: ownerHost, port: Number(ownerPort) });
      try {
        expect(await readsForOneTurn(client, master, "d")).toBeLessThanOrEqual(6);
      } finally {
        master.disconnect();
      }
    } finally {
      client.disconnect();
    }
  });
});

import { randomUUID } from "node:crypto";
import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { createRedis, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, spawnService, startNats, startRedis } from "@rush/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gridSeats, loadInventory } from "./test-support.ts";

const PARTITIONS = 8;

describe("pack placement on real servers", () => {
  let nats: NatsServer;
  let redisServer: RedisServer;
  let bus: Bus;
  let redis: Redis;
  let client: SeatCommandClient;
  const workers = new Map<string, ServiceProcess>();

  const startWorker = async (id: string) =>
    workers.set(
      id,
      await spawnService("ticket", {
        NATS_URL: nats.url,
        REDIS_URL: redisServer.url,
        WORKER_ID: id,
        PARTITIONS: String(PARTITIONS),
        PARTITION_PLACEMENT: "pack",
        LEASE_RENEW_MS: "300",
        LOG_LEVEL: "warn",
      }),
    );
  /** Caught-up partitions per worker. */
  const placement = async () => {
    const counts: Record<string, number> = {};
    for (const [id, w] of workers) {
      const view = (await (await fetch(`${w.url}/partitions`)).json()) as { partitions: { caughtUp: boolean }[] };
      counts[id] = view.partitions.filter((p) => p.caughtUp).length;
    }
    return counts;
  };

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    bus = await connectBus({ servers: nats.url, name: "placement-test" });
    await ensureTopology(bus, await loadTopology());
    redis = createRedis(redisServer.url, "placement-test");
    client = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup: (id) => seatReplyLookup(redis)(id) });
    await Promise.all([startWorker("pack-a"), startWorker("pack-b")]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...workers.values()].map((w) => w.stop()));
    await client?.close();
    redis?.disconnect();
    await bus?.close();
    await Promise.all([nats?.dispose(), redisServer?.dispose()]);
  });

  it("placement: with pack, one worker runs every partition and the other stands by; killed, the standby takes them all and the restarted one stands by", async () => {
    await expect.poll(async () => Object.values(await placement()).sort(), { timeout: 30_000, interval: 250 }).toEqual([0, PARTITIONS]);
    const counts = await placement();
    const active = Object.keys(counts).find((id) => counts[id] === PARTITIONS)!;
    const standby = Object.keys(counts).find((id) => id !== active)!;

    await workers.get(active)!.kill();
    workers.delete(active);
    await expect.poll(placement, { timeout: 30_000, interval: 250 }).toEqual({ [standby]: PARTITIONS });
    const sessionId = randomUUID();
    expect((await client.send(loadInventory(sessionId, "A", gridSeats("A", 2, 5)), { timeoutMs: 10_000 })).status).toBe("done");

    // Back again: it joins as the standby (whatever its id), nothing moves.
    await startWorker(active);
    await vi.waitFor(async () => expect(Object.keys(await placement())).toHaveLength(2), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several lease ticks
    expect(await placement()).toEqual({ [active]: 0, [standby]: PARTITIONS });
  }, 120_000);
});

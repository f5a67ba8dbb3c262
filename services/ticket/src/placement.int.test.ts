import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gridSeats, loadInventory } from "./test-support.ts";
import { type WorkerFleet, startWorkerFleet } from "./worker-fleet.ts";

const PARTITIONS = 8;

describe("pack placement on real servers", () => {
  let fleet: WorkerFleet;
  /** Caught-up partitions per worker. */
  const placement = async () =>
    Object.fromEntries((await fleet.views()).map((v) => [v.workerId, v.partitions.filter((p) => p.caughtUp).length]));

  beforeAll(async () => {
    fleet = await startWorkerFleet("placement-test", PARTITIONS, { PARTITION_PLACEMENT: "pack", LEASE_RENEW_MS: "300" });
    await Promise.all([fleet.start("pack-a"), fleet.start("pack-b")]);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it("placement: with pack, one worker runs every partition and the other stands by; killed, the standby takes them all and the restarted one stands by", async () => {
    await expect.poll(async () => Object.values(await placement()).sort(), { timeout: 30_000, interval: 250 }).toEqual([0, PARTITIONS]);
    const counts = await placement();
    const active = Object.keys(counts).find((id) => counts[id] === PARTITIONS)!;
    const standby = Object.keys(counts).find((id) => id !== active)!;

    await fleet.kill(active);
    await expect.poll(placement, { timeout: 30_000, interval: 250 }).toEqual({ [standby]: PARTITIONS });
    const sessionId = randomUUID();
    expect((await fleet.client.send(loadInventory(sessionId, "A", gridSeats("A", 2, 5)), { timeoutMs: 10_000 })).status).toBe("done");

    // Back again: it joins as the standby (whatever its id), nothing moves.
    await fleet.start(active);
    await vi.waitFor(async () => expect(Object.keys(await placement())).toHaveLength(2), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several lease ticks
    expect(await placement()).toEqual({ [active]: 0, [standby]: PARTITIONS });
  }, 120_000);
});

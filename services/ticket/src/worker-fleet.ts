import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { createRedis, seatReplyLookup } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, spawnService, startNats, startRedis } from "@rush/testkit";
import type { Redis } from "ioredis";

/** What a worker's `GET /partitions` answers. */
export interface PartitionsView {
  workerId: string;
  partitions: { partition: number; seq: number; caughtUp: boolean }[];
}

/**
 * For integration tests: a nats-server and a Redis of their own, a seat-command client, and ticket
 * worker processes (`main.ts`, spawned) started, killed and asked for their partitions by id.
 */
export interface WorkerFleet {
  bus: Bus;
  redis: Redis;
  client: SeatCommandClient;
  workers: Map<string, ServiceProcess>;
  /** Spawns a worker with this id (and `env` on top of the fleet's). */
  start(id: string): Promise<void>;
  /** SIGKILLs a worker and forgets it. */
  kill(id: string): Promise<void>;
  views(): Promise<PartitionsView[]>;
  stop(): Promise<void>;
}

export async function startWorkerFleet(name: string, partitions: number, env: Record<string, string>): Promise<WorkerFleet> {
  const [nats, redisServer]: [NatsServer, RedisServer] = await Promise.all([startNats(), startRedis()]);
  const bus = await connectBus({ servers: nats.url, name });
  await ensureTopology(bus, await loadTopology());
  const redis = createRedis(redisServer.url, name);
  const client = await createSeatCommandClient(bus, { partitions, lookup: seatReplyLookup(redis) });
  const workers = new Map<string, ServiceProcess>();
  const base = { NATS_URL: nats.url, REDIS_URL: redisServer.url, PARTITIONS: String(partitions), LOG_LEVEL: "warn", ...env };
  return {
    bus,
    redis,
    client,
    workers,
    async start(id) {
      workers.set(id, await spawnService("ticket", { ...base, WORKER_ID: id }));
    },
    async kill(id) {
      await workers.get(id)?.kill();
      workers.delete(id);
    },
    views: () => Promise.all([...workers.values()].map(async (w) => (await (await fetch(`${w.url}/partitions`)).json()) as PartitionsView)),
    async stop() {
      await Promise.all([...workers.values()].map((w) => w.stop()));
      await client.close();
      redis.disconnect();
      await bus.close();
      await Promise.all([nats.dispose(), redisServer.dispose()]);
    },
  };
}

import { type Logger, coalesceWrites, createRedis } from "@rush/service";
import type { Redis, RedisOptions } from "ioredis";

/**
 * The gate's Redis client settings beyond the shared ones (`createRedis`).
 *
 * No auto-pipelining. ioredis sends one auto-pipeline per connection at a time: a command issued
 * while the last one awaits its replies queues behind it, so each Redis call of a hold (the IP
 * limit, the hold script, the grant) could wait for a round trip it had no part in, and whatever
 * the waiting held lived on into the gate's scavenges. Measured with `BENCH_OPEN_RATE=300
 * pnpm bench http` in five alternating pairs (docs/benchmarks.md, `## http`, 4 Dec): without it the
 * gate's GC at that rate was 2–4× shorter and its CPU per hold 5–35 % lower in every pair, and a
 * hold's median lower in four of five.
 */
export const GATE_REDIS_OPTIONS = { enableAutoPipelining: false } as const satisfies Partial<RedisOptions>;

/**
 * The gate's Redis client: its settings, and each event-loop turn's commands sent in one write
 * (`coalesceWrites`). On the started stack at saturation that cut the gate's CPU per hold by about
 * a quarter and Redis's by a fifth (docs/benchmarks.md, `## http`, 5 Dec 2026).
 */
export function createGateRedis(url: string, name: string, logger?: Pick<Logger, "warn">): Redis {
  const redis = createRedis(url, name, logger, GATE_REDIS_OPTIONS);
  coalesceWrites(redis);
  return redis;
}

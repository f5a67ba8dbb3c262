import type { RedisOptions } from "ioredis";

/**
 * The gate's Redis client settings beyond the shared ones (`createRedis`).
 *
 * No auto-pipelining. ioredis sends one auto-pipeline per connection at a time: a command issued
 * while the last one awaits its replies queues behind it, so under load every Redis call of a
 * hold (the IP limit, the hold script, the grant) waited for a whole round trip it had no part in,
 * and the pipeline objects lived on through those waits into the gate's scavenges. Measured with
 * `BENCH_OPEN_RATE=300 pnpm bench http` (docs/benchmarks.md, `## http`, 4 Dec): without it, hold
 * p50 3.3–3.8 ms and p99 28–31 ms against 16–30 ms and 86–103 ms, and the gate's CPU per hold
 * about a third lower; corking each turn's writes into one instead did not pay either.
 */
export const GATE_REDIS_OPTIONS = { enableAutoPipelining: false } as const satisfies Partial<RedisOptions>;

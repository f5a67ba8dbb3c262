import type { RedisOptions } from "ioredis";

/**
 * The gate's Redis client settings beyond the shared ones (`createRedis`).
 *
 * No auto-pipelining. ioredis sends one auto-pipeline per connection at a time: a command issued
 * while the last one awaits its replies queues behind it, so each Redis call of a hold (the IP
 * limit, the hold script, the grant) could wait for a round trip it had no part in, and whatever
 * the waiting held lived on into the gate's scavenges. Measured with `BENCH_OPEN_RATE=300
 * pnpm bench http` in five alternating pairs (docs/benchmarks.md, `## http`, 4 Dec): without it the
 * gate's GC at that rate was 2–4× shorter and its CPU per hold 5–35 % lower in every pair, and a
 * hold's median lower in four of five; auto-pipelining saves Redis itself a read per hold or so
 * under saturation. Corking each turn's writes into one did not pay either.
 */
export const GATE_REDIS_OPTIONS = { enableAutoPipelining: false } as const satisfies Partial<RedisOptions>;

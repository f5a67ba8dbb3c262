import type { Writable } from "node:stream";
import { corkTurns } from "@rush/bus";
import type { Cluster, Redis } from "ioredis";
import { isRedisCluster } from "./redis.ts";

const streamOf = (redis: Redis) => (redis as unknown as { stream?: Writable }).stream;

/**
 * Makes a client send the commands it is given in one event-loop turn in one write, on every
 * connection it makes (each reconnect, each node of a Redis Cluster). A turn of a busy gate
 * handles many requests, each issuing its own Redis calls; written one by one, every call was a
 * `write(2)` of its own and a wake-up of Redis for a few dozen bytes, and those writes were the
 * largest single cost in the gate's profile. ioredis's auto-pipelining also batches, but sends
 * one pipeline per connection at a time, so a call could wait out a round trip it had no part
 * in; here nothing waits for a reply, only for the turn that issued it to end (a few hundred
 * microseconds under load, nothing when idle), and replies come back in order as before.
 * Measured in docs/benchmarks.md, `## http`, 5 Dec 2026.
 */
export function coalesceWrites(redis: Redis): void {
  if (isRedisCluster(redis)) {
    const cluster = redis as unknown as Cluster;
    for (const node of cluster.nodes()) coalesceWrites(node);
    cluster.on("+node", (node: Redis) => coalesceWrites(node));
    return;
  }
  // A connection already made (or under way) is corked now; "connect" corks each one after it.
  const stream = streamOf(redis);
  if (stream) corkTurns(stream);
  redis.on("connect", () => {
    const current = streamOf(redis);
    if (current) corkTurns(current);
  });
}

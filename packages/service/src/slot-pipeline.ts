import { createRequire } from "node:module";
import type { ChainableCommander, Redis } from "ioredis";
import { isRedisCluster } from "./redis.ts";

// The CRC16 slot function ioredis itself uses; it ships no types, and requiring it keeps every
// package that compiles this file from needing an ambient declaration.
const calculateSlot = createRequire(import.meta.url)("cluster-key-slot") as (key: string) => number;

/** The Redis Cluster hash slot of a key (0..16383, honouring `{hash tags}`). */
export const hashSlot = (key: string): number => calculateSlot(key);

export type PipelineResult = [error: Error | null, result: unknown];

/**
 * A pipeline that may mix hash slots. On one Redis it is one pipeline, as before. On a Redis
 * Cluster a pipeline must stay on the nodes of one slot range, so the commands are grouped by the
 * nodes serving their slot (by slot alone until the client has the slot map), each group sent as
 * its own pipeline (all at once) in the order they were added, and the results put back in that
 * order: commands of one slot (one session's fence and read model) still run in sequence.
 */
export interface SlotPipeline<P extends ChainableCommander> {
  /** Queues what `apply` adds to a pipeline (one command) for the slot of `key`. */
  add(key: string, apply: (pipeline: P) => unknown): void;
  readonly length: number;
  exec(): Promise<PipelineResult[]>;
}

export function slotPipeline<P extends ChainableCommander = ChainableCommander>(redis: Redis): SlotPipeline<P> {
  if (!isRedisCluster(redis)) {
    const pipeline = redis.pipeline() as P;
    let length = 0;
    return {
      add: (_key, apply) => {
        apply(pipeline);
        length++;
      },
      get length() {
        return length;
      },
      exec: async () => ((await pipeline.exec()) ?? []) as PipelineResult[],
    };
  }
  const { slots } = redis as unknown as { slots: string[][] };
  const ops: { group: string; apply: (pipeline: P) => unknown }[] = [];
  return {
    add: (key, apply) => {
      const slot = calculateSlot(key);
      ops.push({ group: slots[slot]?.join() ?? `slot:${slot}`, apply });
    },
    get length() {
      return ops.length;
    },
    exec: async () => {
      const byNodes = new Map<string, number[]>();
      ops.forEach(({ group }, index) => {
        const indices = byNodes.get(group);
        if (indices) indices.push(index);
        else byNodes.set(group, [index]);
      });
      const results: PipelineResult[] = new Array(ops.length);
      await Promise.all(
        [...byNodes.values()].map(async (indices) => {
          const pipeline = redis.pipeline() as P;
          for (const index of indices) ops[index]!.apply(pipeline);
          const answers = ((await pipeline.exec()) ?? []) as PipelineResult[];
          indices.forEach((index, i) => {
            results[index] = answers[i] ?? [new Error("no reply from the pipeline"), null];
          });
        }),
      );
      return results;
    },
  };
}

/** GET of many keys in one round trip: MGET on one Redis, one pipelined GET per key on a cluster (MGET must stay in one slot). */
export async function getMany(redis: Redis, keys: readonly string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  if (!isRedisCluster(redis)) return redis.mget(...keys);
  const pipeline = slotPipeline(redis);
  for (const key of keys) pipeline.add(key, (p) => p.get(key));
  return (await pipeline.exec()).map(([error, value]) => {
    if (error) throw error;
    return value as string | null;
  });
}

import { type PipelineResult, type SlotPipeline, slotPipeline } from "@rush/service";
import type { ChainableCommander, Redis } from "ioredis";

interface Op<P> {
  key: string;
  apply: (pipeline: P) => unknown;
}

interface Turn<P> {
  ops: Op<P>[];
  waiting: { from: number; to: number; resolve(results: PipelineResult[]): void; reject(error: unknown): void }[];
}

const turns = new WeakMap<Redis, Turn<ChainableCommander>>();

/**
 * A `SlotPipeline` whose `exec` joins every other one exec'd on the same client in the same
 * event-loop turn: they go to Redis as one pipeline (one write, one read, one wake-up of Redis
 * and of this process) and each gets its own results back, in its own order. One NATS read hands
 * a worker the commands of many partitions at once; each partition's actor then sent its batch's
 * fence and read-model writes as a pipeline of its own, which cost a Redis round trip per
 * partition per turn. Joined, a pipeline's commands stay contiguous and in order, so one
 * partition's fence still runs in sequence; a failed command fails only the batch it belongs to.
 */
export function turnPipeline<P extends ChainableCommander = ChainableCommander>(redis: Redis): SlotPipeline<P> {
  const ops: Op<P>[] = [];
  return {
    add: (key, apply) => {
      ops.push({ key, apply });
    },
    get length() {
      return ops.length;
    },
    exec: () =>
      new Promise<PipelineResult[]>((resolve, reject) => {
        let turn = turns.get(redis) as Turn<P> | undefined;
        if (!turn) {
          turn = { ops: [], waiting: [] };
          turns.set(redis, turn as unknown as Turn<ChainableCommander>);
          // After the microtasks queued so far: every actor woken by the same read reaches its exec first.
          process.nextTick(() => run(redis, turn!));
        }
        const from = turn.ops.length;
        turn.ops.push(...ops);
        turn.waiting.push({ from, to: turn.ops.length, resolve, reject });
      }),
  };
}

function run<P extends ChainableCommander>(redis: Redis, turn: Turn<P>): void {
  turns.delete(redis);
  const pipeline = slotPipeline<P>(redis);
  for (const { key, apply } of turn.ops) pipeline.add(key, apply);
  pipeline.exec().then(
    (results) => {
      for (const { from, to, resolve } of turn.waiting) resolve(results.slice(from, to));
    },
    (error: unknown) => {
      for (const { reject } of turn.waiting) reject(error);
    },
  );
}

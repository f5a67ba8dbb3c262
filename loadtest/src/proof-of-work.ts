import { Worker } from "node:worker_threads";

/**
 * Solves the gate's proof-of-work challenge (a 428 on a queue join) as a buyer's browser does in
 * a Web Worker: off the runner's event loop, so one buyer's ~1 s of hashing does not stall the
 * timings of every other buyer. One thread, challenges one after another (a real browser's
 * CPU is its own; here every solve is CPU the stack under test does not get, so the report
 * counts them).
 */
const SOLVER = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const zeroBits = (d) => { let bits = 0; for (const b of d) { if (b === 0) { bits += 8; continue; } return bits + Math.clz32(b) - 24; } return bits; };
parentPort.on("message", ({ token, difficulty }) => {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (zeroBits(createHash("sha256").update(token + ":" + nonce).digest()) >= difficulty) return parentPort.postMessage({ nonce });
  }
});`;

export interface PowSolver {
  /**
   * The nonce, or `undefined` when `deadline` (performance.now()) passed before its turn came.
   * Solves run one at a time; one still queued at the run's end is dropped, not computed.
   */
  solve(token: string, difficulty: number, deadline?: number): Promise<string | undefined>;
  close(): Promise<void>;
}

interface Challenge {
  token: string;
  difficulty: number;
  deadline: number;
  settle: (nonce: string | undefined) => void;
}

/**
 * Challenges wait here, not in the worker's message queue: a run on a stack whose addresses
 * already carry more accounts than the gate's bot score allows (two earlier 2,000-buyer runs
 * within its hour) is challenged on every join, and 2,000 solves of ~1 s each, queued in the
 * worker where they cannot be dropped, kept the runner busy for half an hour past its deadline.
 */
export function createPowSolver(): PowSolver {
  let worker: Worker | undefined;
  let current: Challenge | undefined;
  const queue: Challenge[] = [];
  const next = () => {
    while (!current && queue.length > 0) {
      const challenge = queue.shift()!;
      if (performance.now() >= challenge.deadline) {
        challenge.settle(undefined);
        continue;
      }
      current = challenge;
      started().postMessage({ token: challenge.token, difficulty: challenge.difficulty });
    }
  };
  const started = () => {
    if (worker) return worker;
    worker = new Worker(SOLVER, { eval: true });
    worker.unref();
    worker.on("message", ({ nonce }: { nonce: string }) => {
      current?.settle(nonce);
      current = undefined;
      next();
    });
    return worker;
  };
  return {
    solve(token, difficulty, deadline = Number.POSITIVE_INFINITY) {
      if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 32) return Promise.reject(new Error(`unsolvable difficulty ${difficulty}`));
      return new Promise<string | undefined>((settle) => {
        const challenge: Challenge = { token, difficulty, deadline, settle };
        queue.push(challenge);
        next();
        if (Number.isFinite(deadline) && current !== challenge) {
          // Dropped at its deadline even while the one ahead of it still runs.
          setTimeout(() => {
            const at = queue.indexOf(challenge);
            if (at >= 0) queue.splice(at, 1)[0]!.settle(undefined);
          }, Math.max(0, deadline - performance.now())).unref();
        }
      });
    },
    close: async () => {
      for (const challenge of queue.splice(0)) challenge.settle(undefined);
      current?.settle(undefined);
      current = undefined;
      await worker?.terminate();
    },
  };
}

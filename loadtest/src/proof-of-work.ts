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
parentPort.on("message", ({ id, token, difficulty }) => {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (zeroBits(createHash("sha256").update(token + ":" + nonce).digest()) >= difficulty) return parentPort.postMessage({ id, nonce });
  }
});`;

export interface PowSolver {
  solve(token: string, difficulty: number): Promise<string>;
  close(): Promise<void>;
}

export function createPowSolver(): PowSolver {
  let worker: Worker | undefined;
  let next = 0;
  const waiting = new Map<number, (nonce: string) => void>();
  const started = () => {
    if (worker) return worker;
    worker = new Worker(SOLVER, { eval: true });
    worker.unref();
    worker.on("message", ({ id, nonce }: { id: number; nonce: string }) => {
      waiting.get(id)?.(nonce);
      waiting.delete(id);
    });
    return worker;
  };
  return {
    solve(token, difficulty) {
      if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 32) return Promise.reject(new Error(`unsolvable difficulty ${difficulty}`));
      const id = next++;
      return new Promise<string>((resolve) => {
        waiting.set(id, resolve);
        started().postMessage({ id, token, difficulty });
      });
    },
    close: async () => {
      await worker?.terminate();
    },
  };
}

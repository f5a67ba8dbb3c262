import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { contextSwitches } from "./http-stack.ts";

describe("bench: context switches from /proc", () => {
  it("bench: contextSwitches sums every thread's: another thread's 20 sleeps count while it lives", async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const nap = new Int32Array(new SharedArrayBuffer(4));
       parentPort.once("message", () => {
         for (let i = 0; i < 20; i++) Atomics.wait(nap, 0, 0, 2);
         parentPort.postMessage("slept");
         Atomics.wait(workerData, 0, 0); // alive, still, until told
       });`,
      { eval: true, workerData: flag },
    );
    try {
      await new Promise((resolve) => worker.once("online", resolve));
      const before = contextSwitches(process.pid);
      const slept = new Promise((resolve) => worker.once("message", resolve));
      worker.postMessage("go");
      await slept;
      // This thread only waited for one message meanwhile: the twenty are the worker's.
      expect(contextSwitches(process.pid) - before).toBeGreaterThanOrEqual(20);
    } finally {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await worker.terminate();
    }
  });
  it("bench: contextSwitches of a process that is not there is 0", () => {
    expect(contextSwitches(2 ** 22 + 1)).toBe(0);
  });
});

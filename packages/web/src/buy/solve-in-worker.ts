import { solveProofOfWork } from "./proof-of-work.ts";

/** Runs the proof of work in a Web Worker (inline when workers are unavailable). */
export function solveInWorker(token: string, difficulty: number): Promise<string> {
  if (typeof Worker === "undefined") {
    const nonce = solveProofOfWork(token, difficulty);
    return nonce ? Promise.resolve(nonce) : Promise.reject(new Error("could not solve the challenge"));
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./pow-worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<{ nonce: string | null }>) => {
      worker.terminate();
      if (event.data.nonce) resolve(event.data.nonce);
      else reject(new Error("could not solve the challenge"));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the challenge worker failed"));
    };
    worker.postMessage({ token, difficulty });
  });
}

import { solveProofOfWork } from "./proof-of-work.ts";

// The app compiles against the DOM library, where `self` is a Window: say what it is here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<{ token: string; difficulty: number }>) => void) | null;
  postMessage(message: unknown): void;
};

/** Solves a challenge off the main thread, so the waiting room stays responsive meanwhile. */
scope.onmessage = (event) => {
  const { token, difficulty } = event.data;
  scope.postMessage({ nonce: solveProofOfWork(token, difficulty) ?? null });
};

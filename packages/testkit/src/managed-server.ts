import { rm } from "node:fs/promises";
import { type Spawned, spawnUntil, stopProcess } from "./process.ts";

/** A server process a test owns: stop (graceful), kill (crash), start again, dispose. */
export interface ManagedServer {
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** Crash (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again with the same port and data, after a stop or kill. */
  start(): Promise<void>;
  /** Kills it and deletes its data directory. */
  dispose(): Promise<void>;
  /**
   * Stalls it (SIGSTOP) with every socket left open: clients see no close and no error, only
   * silence, as from a server that hangs. `thaw` (SIGCONT) lets it run on. Single servers only.
   */
  freeze?(): Promise<void>;
  thaw?(): Promise<void>;
}

/** Starts `bin args` (ready when its output matches `ready`) and manages its life; `dir` is its data. */
export async function startManaged(bin: string, args: string[], ready: RegExp, dir: string, env: Record<string, string> = {}): Promise<ManagedServer> {
  let proc: Spawned | undefined;
  const start = async () => {
    proc = await spawnUntil(bin, args, ready, undefined, env);
  };
  await start();
  return {
    start,
    stop: async () => {
      if (!proc) return;
      // A frozen process takes SIGTERM only once it runs again.
      const stopping = stopProcess(proc, "SIGTERM");
      proc.child.kill("SIGCONT");
      await stopping;
    },
    kill: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
    },
    freeze: async () => {
      proc?.child.kill("SIGSTOP");
    },
    thaw: async () => {
      proc?.child.kill("SIGCONT");
    },
    dispose: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { type Spawned, spawnUntil, stopProcess } from "./process.ts";

/** A private nats-server with JetStream on a file store: one per test file, free to kill and restart. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Graceful stop (SIGTERM): JetStream flushes. */
  stop(): Promise<void>;
  /** Crash (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store, after a stop or kill. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  dispose(): Promise<void>;
}

export async function startNats(options: { bin?: string } = {}): Promise<NatsServer> {
  const bin = options.bin ?? process.env.NATS_SERVER_BIN ?? "nats-server";
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "rush-nats-"));
  // Same limits as nats/nats-server.conf where they matter to the code (snapshot sizes).
  const config = join(storeDir, "test.conf");
  await writeFile(config, "max_payload: 8MB\n");
  const args = ["-c", config, "-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-n", `rush-test-${port}`];
  let proc: Spawned | undefined;
  const start = async () => {
    proc = await spawnUntil(bin, args, /Server is ready/);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    start,
    stop: async () => {
      if (proc) await stopProcess(proc, "SIGTERM");
    },
    kill: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
    },
    dispose: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

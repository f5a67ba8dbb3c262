import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { type Spawned, spawnUntil, stopProcess } from "./process.ts";

/** A private redis-server with AOF, like production: one per test file, free to kill and restart. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRedis(options: { bin?: string } = {}): Promise<RedisServer> {
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "rush-redis-"));
  const args = [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir,
    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
  ];
  let proc: Spawned | undefined;
  const start = async () => {
    proc = await spawnUntil(bin, args, /Ready to accept connections/);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: async () => {
      if (proc) await stopProcess(proc, "SIGTERM");
    },
    kill: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
    },
    dispose: async () => {
      if (proc) await stopProcess(proc, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterAsServer } from "./cluster.ts";
import { type ManagedServer, startManaged } from "./managed-server.ts";
import { freePort } from "./ports.ts";
import { sharedClusterMode, sharedNats } from "./shared-cluster.ts";

/** A private nats-server with JetStream on a file store: one per test file, free to kill and restart. */
export interface NatsServer extends ManagedServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Copies of every stream and bucket the services should ask for: NATS_REPLICAS (3 on a cluster). */
  readonly replicas: number;
}

/**
 * `config` is appended to the test config (e.g. an `include`); `files` are written beside it;
 * `env` reaches the server (a config's `$VARIABLES`, which do not cross `include`s).
 */
export async function startNats(
  options: { bin?: string; config?: string; files?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<NatsServer> {
  // A test that brings its own config (users, permissions) keeps its one server.
  const plain = !options.config && !options.files;
  if (plain && sharedClusterMode()) return { ...(await sharedNats()), storeDir: "" };
  if (plain && process.env.TEST_CLUSTER === "1") return { ...(await clusterAsServer("nats")), storeDir: "" };
  const bin = options.bin ?? process.env.NATS_SERVER_BIN ?? "nats-server";
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "rush-nats-"));
  // Same limits as nats/nats-server.conf where they matter to the code (snapshot sizes).
  const config = join(storeDir, "test.conf");
  for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(join(storeDir, name), text);
  await writeFile(config, `max_payload: 8MB\n${options.config ?? ""}\n`);
  const args = ["-c", config, "-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "-n", `rush-test-${port}`];
  const server = await startManaged(bin, args, /Server is ready/, storeDir, options.env);
  return { ...server, url: `nats://127.0.0.1:${port}`, port, storeDir, replicas: 1 };
}

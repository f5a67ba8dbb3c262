import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./infra.ts";
import { freePort } from "./ports.ts";

/** A service running as a real child process (`services/<name>/src/main.ts`), as in production. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it logged (JSON lines), for assertions and failure messages. */
  output(): string;
  /** SIGTERM and wait: the graceful drain path. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts the service with `env` (plus `PORT`) and resolves once `/health/ready` answers 200. */
export async function spawnService(
  name: string,
  /** `undefined` removes a key, e.g. `NODE_ENV: undefined` to start as a deployment that forgot it. */
  env: Record<string, string | undefined>,
  options: { port?: number; readyTimeoutMs?: number; waitReady?: boolean; /** Extra node flags, e.g. --cpu-prof. */ nodeArgs?: string[] } = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "src/main.ts"], {
    cwd: join(REPO_ROOT, "services", name),
    // METRICS_PORT 0: the gate's internal metrics port must not collide with other tests' ports.
    env: definedOnly({ ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", METRICS_PORT: "0", ...env, PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let text = "";
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 2_000_000) text = text.slice(-1_000_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // TEST_SERVICE_LOG_DIR: every service's whole output in a file of its own as well, to read after
  // a failed run (the in-memory copy is cut to its last megabyte and gone with the test process).
  const logDir = process.env.TEST_SERVICE_LOG_DIR;
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    const file = createWriteStream(join(logDir, `${name}-${port}.log`), { flags: "a" });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once("exit", () => file.end());
  }
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    port,
    url,
    child,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  if (options.waitReady === false) return service;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${text.slice(-4000)}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await service.kill();
  throw new Error(`${name} not ready on :${port}:\n${text.slice(-4000)}`);
}

const definedOnly = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));

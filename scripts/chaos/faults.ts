import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface FaultRecord {
  name: string;
  at: number;
  /** When the server answered again (or the worker's partitions were owned again). */
  backAt: number;
  /** First grant after `backAt`, if any. */
  firstGrantAt?: number;
}

/** Restarts one local server through infra.sh (down, then up: it returns once the server answers). */
export async function restartServer(root: string, name: "redis" | "nats" | "postgres", pauseMs: number): Promise<{ at: number; backAt: number }> {
  const infra = join(root, "infra/infra.sh");
  const at = Date.now();
  await run("bash", [infra, "down", name], { env: process.env });
  await new Promise((r) => setTimeout(r, pauseMs));
  await run("bash", [infra, "up", name], { env: process.env });
  return { at, backAt: Date.now() };
}

/** How many partitions a ticket worker runs now (0 when it does not answer). */
async function partitionsOf(port: number): Promise<{ owned: number; caughtUp: number }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/partitions`, { signal: AbortSignal.timeout(1_000) });
    const body = (await res.json()) as { partitions: { caughtUp: boolean }[] };
    return { owned: body.partitions.length, caughtUp: body.partitions.filter((p) => p.caughtUp).length };
  } catch {
    return { owned: 0, caughtUp: 0 };
  }
}

/**
 * SIGKILLs the ticket worker running the most partitions (pid from the dev supervisor's
 * services.json; with ./scripts/start's `pack` placement, the active one, not the standby), then
 * waits until the workers that answer own every partition again: the takeover.
 */
export async function killTicketWorker(dataDir: string, partitions: number, timeoutMs = 60_000): Promise<{ at: number; backAt: number; label: string }> {
  type Entry = { label: string; pid: number; port: number };
  const read = (): Entry[] => JSON.parse(readFileSync(join(dataDir, "services.json"), "utf8"));
  const workers = read().filter((e) => e.label.startsWith("ticket"));
  const sizes = await Promise.all(workers.map(async (e) => ({ e, owned: (await partitionsOf(e.port)).owned })));
  const victim = sizes.sort((a, b) => b.owned - a.owned)[0]?.e;
  if (!victim) throw new Error(`no ticket worker in ${join(dataDir, "services.json")}: is ./scripts/start running?`);
  const at = Date.now();
  process.kill(victim.pid, "SIGKILL");
  while (Date.now() - at < timeoutMs) {
    let owned = 0;
    for (const worker of read().filter((e) => e.label.startsWith("ticket") && e.pid !== victim.pid)) {
      owned += (await partitionsOf(worker.port)).caughtUp; // 0 while restarting or not up yet
    }
    if (owned >= partitions) return { at, backAt: Date.now(), label: victim.label };
    await new Promise((r) => setTimeout(r, 200));
  }
  return { at, backAt: Number.NaN, label: victim.label };
}

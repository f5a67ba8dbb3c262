import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const children = new Set<ChildProcess>();
// A test run that dies must not leave servers behind: kill what we spawned on the way out.
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything it printed so far, for readiness checks and failure messages. */
  output(): string;
  /** Resolves when it has exited. */
  readonly exited: Promise<number | null>;
}

/** Starts `command` and resolves once its output matches `ready`, or fails with what it printed. */
export function spawnUntil(
  command: string,
  args: string[],
  ready: RegExp,
  // Generous: a JetStream server recovering its store on a loaded 2-core machine can take a while.
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<Spawned> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  children.add(child);
  let text = "";
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")}: ${why}\n${text.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.length > 100_000) text = text.slice(-50_000);
      if (ready.test(text)) {
        clearTimeout(timer);
        resolve({ child, output: () => text, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => fail(error.message));
    void exited.then((code) => fail(`exited with ${code}`));
  });
}

/** Sends `signal` and waits for the exit. */
export async function stopProcess(spawned: Spawned, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  spawned.child.kill(signal);
  await spawned.exited;
}

/** A process's direct children (Linux `/proc`); none once it has gone. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

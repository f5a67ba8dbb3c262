import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { LoadReport } from "../k6/lib/report.js";

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** A k6 binary: `K6`, else `k6` on PATH, else `../shared/tools/k6` beside the repository. */
export function findK6(k6Env: string | undefined, repoRoot: string, path = process.env.PATH ?? ""): string | undefined {
  if (k6Env) return executable(k6Env) ? k6Env : undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) if (executable(join(dir, "k6"))) return join(dir, "k6");
  const shared = join(repoRoot, "..", "shared", "tools", "k6");
  return executable(shared) ? shared : undefined;
}

export interface K6RunOptions {
  k6: string;
  repoRoot: string;
  baseUrl: string;
  sessionId: string;
  runId: string;
  buyersFile: string;
  buyers: number;
  reportDir: string;
  localIps: string;
  rampSeconds: number;
  maxSeconds: number;
  p99Scale: number;
  /** When the burst is to begin (epoch ms): k6's setup() waits for it once its VUs are up. */
  arriveFrom?: number;
}

/**
 * Seconds k6 gets to start its VUs (one per buyer) before the burst is due: the sale of a k6 run
 * opens this much later than --opens-in says, and setup() waits out what is left, so buyers
 * arrive --opens-in before the opening as in the Node runner.
 */
export const k6StartAllowanceSeconds = (buyers: number) => Math.ceil(10 + buyers / 50);

/**
 * Runs `k6/flash-sale.js` (with its seat-map readers) and returns k6's exit code and the report
 * its handleSummary wrote. k6's own output passes through to the terminal.
 */
export async function runK6(options: K6RunOptions): Promise<{ exitCode: number; report: LoadReport }> {
  const args = [
    "run",
    "--quiet",
    "--local-ips",
    options.localIps,
    "-e", `BASE_URL=${options.baseUrl}`,
    "-e", `SESSION_ID=${options.sessionId}`,
    "-e", `RUN_ID=${options.runId}`,
    "-e", `BUYERS_FILE=${options.buyersFile}`,
    "-e", `BUYERS=${options.buyers}`,
    "-e", `REPORT_DIR=${options.reportDir}`,
    "-e", `RAMP_SECONDS=${options.rampSeconds}`,
    "-e", `MAX_SECONDS=${options.maxSeconds}`,
    "-e", `P99_SCALE=${options.p99Scale}`,
    "-e", `ARRIVE_FROM=${options.arriveFrom ?? 0}`,
    join(options.repoRoot, "loadtest/k6/flash-sale.js"),
  ];
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(options.k6, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, K6_NO_USAGE_REPORT: "true" } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const path = join(options.reportDir, `k6-${options.runId}.json`);
  const report = JSON.parse(await readFile(path, "utf8").catch(() => {
    throw new Error(`k6 exited ${exitCode} without writing ${path}`);
  })) as LoadReport;
  return { exitCode, report };
}

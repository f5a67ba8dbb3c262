import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root (where `infra/` lives). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const INFRA = fileURLToPath(new URL("../../../infra/infra.sh", import.meta.url));

/** The test suite's own stack: other ports and data dir than the dev stack, so both can run. */
export const TEST_STACK_ENV = {
  DATA_DIR: process.env.TEST_DATA_DIR ?? ".data/test",
  NATS_PORT: process.env.TEST_NATS_PORT ?? "24222",
  NATS_MONITOR_PORT: process.env.TEST_NATS_MONITOR_PORT ?? "28222",
  REDIS_PORT: process.env.TEST_REDIS_PORT ?? "26379",
  PG_PORT: process.env.TEST_PG_PORT ?? "25432",
  PG_PASSWORD: process.env.TEST_PG_PASSWORD ?? "rush-dev",
  PG_DB: "rush",
};

/** Runs `infra/infra.sh <args>` (installs missing servers, starts, stops) with the given env. */
export async function infra(args: string[], env: Record<string, string> = TEST_STACK_ENV): Promise<string> {
  const { stdout } = await run("bash", [INFRA, ...args], {
    env: { ...process.env, ...env },
    cwd: REPO_ROOT,
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

/** Whether `infra.sh status` reports `service` running. */
export async function isRunning(service: "nats" | "redis" | "postgres", env: Record<string, string> = TEST_STACK_ENV): Promise<boolean> {
  // `status` exits 3 unless every server runs; its lines read `<service>  running|stopped  …`.
  const out = await infra(["status", service], env).catch((error: { stdout?: string }) => error.stdout ?? "");
  return out.split("\n").some((line) => new RegExp(`^${service}\\s+running\\b`).test(line));
}

export function testPgAdminUrl(env = TEST_STACK_ENV): string {
  return `postgres://postgres:${encodeURIComponent(env.PG_PASSWORD)}@127.0.0.1:${env.PG_PORT}/postgres`;
}

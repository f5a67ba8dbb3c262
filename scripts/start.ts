/**
 * `pnpm start` (run by `./scripts/start`, which starts the servers first): migrates, starts
 * every service in `services/`, waits until each is ready, loads the demo data, prints the
 * URLs, restarts a service that dies, and on Ctrl-C drains every service and stops the servers.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { runMigrations } from "@rush/db";

const ROOT = new URL("..", import.meta.url).pathname;
const run = promisify(execFile);

interface ServiceManifest {
  name: string;
  dir: string;
  port: number;
  /** Extra instances (e.g. ticket workers) with their own ports. */
  instances: number;
  /** Settings for this one-machine stack (`rush.env`); the caller's environment overrides them. */
  env: Record<string, string>;
  /**
   * Its scheduling niceness on this shared machine (`rush.nice`): work no buyer waits on (mail)
   * yields the cores to the buyers' path during a sale and catches up after it.
   */
  nice: number;
}

function discoverServices(): ServiceManifest[] {
  const servicesDir = join(ROOT, "services");
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .filter((name) => existsSync(join(servicesDir, name, "src/main.ts")))
    .map((name) => {
      const pkg = JSON.parse(readFileSync(join(servicesDir, name, "package.json"), "utf8"));
      const rush = pkg.rush ?? {};
      return { name, dir: join(servicesDir, name), port: Number(rush.port), instances: Number(rush.instances ?? 1), env: rush.env ?? {}, nice: Number(rush.nice ?? 0) };
    })
    .sort((a, b) => a.port - b.port);
}

const children: { label: string; child: ChildProcess; port: number }[] = [];
/** Where the runner records each instance's pid and port (`pnpm chaos` reads it to kill a worker). */
const PROCESSES_FILE = join(resolve(ROOT, process.env.DATA_DIR ?? ".data"), "services.json");
const recordProcesses = () =>
  writeFileSync(PROCESSES_FILE, `${JSON.stringify(children.map(({ label, child, port }) => ({ label, pid: child.pid, port })), null, 2)}\n`);

/** Every service port moves by PORT_OFFSET (see ./scripts/start), so two stacks can run side by side. */
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);
const portOf = (name: string) => (discoverServices().find((s) => s.name === name)?.port ?? 0) + PORT_OFFSET;
/** Where each service finds the others; the gate and the demo read these. */
const peerUrls = (): Record<string, string> => ({
  CATALOG_URL: `http://127.0.0.1:${portOf("catalog")}`,
  ORDER_URL: `http://127.0.0.1:${portOf("order")}`,
  PAYMENT_URL: `http://127.0.0.1:${portOf("payment")}`,
  NOTIFICATION_URL: `http://127.0.0.1:${portOf("notification")}`,
  GATE_URL: `http://127.0.0.1:${portOf("gate")}`,
  MAIL_URL: `http://127.0.0.1:${portOf("mail")}`,
  // The mail worker: links in e-mails open the gate; development messages go to this stack's outbox.
  APP_URL: `http://127.0.0.1:${portOf("gate")}`,
  OUTBOX_DIR: join(resolve(ROOT, process.env.DATA_DIR ?? ".data"), "outbox"),
});

/**
 * `SERVICE_CPU_PROF_DIR=<dir>`: every service runs under `--cpu-prof` and writes its profiles
 * to `<dir>/<service>` when it stops (`pnpm bench http --profile` uses it). One folder each, not
 * one file name: the module loader's thread writes a profile of its own.
 */
const CPU_PROF_DIR = process.env.SERVICE_CPU_PROF_DIR;
const profileArgs = (label: string) => (CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${join(CPU_PROF_DIR, label.replace("#", "-"))}`] : []);

/**
 * A dev supervisor: a service that dies (a crash, a SIGKILL in a chaos run) is started again
 * after 0.5, 1, 2 … s (capped at 15 s; back to 0.5 s once it ran a minute), so one death costs
 * that service's seconds, not the whole stack.
 */
function startInstance(service: ServiceManifest, index: number, attempt = 0): void {
  const port = service.port + PORT_OFFSET + index * 100;
  const label = service.instances > 1 ? `${service.name}#${index + 1}` : service.name;
  const startedAt = Date.now();
  const node = [process.execPath, ...profileArgs(label), "--import", "tsx", "src/main.ts"];
  // coreutils' nice execs node in place (same pid), and every thread node starts inherits it.
  const [command, ...args] = service.nice ? ["nice", "-n", String(service.nice), ...node] : node;
  const child = spawn(command as string, args, {
    cwd: service.dir,
    env: { ...service.env, ...peerUrls(), ...process.env, PORT: String(port), INSTANCE_ID: label, NODE_ENV: process.env.NODE_ENV ?? "development" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: a terminal's Ctrl-C reaches only this runner, which then drains
    // each service with one SIGTERM (a service takes a second signal as "exit now").
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => prettyPrint(label, line));
  }
  child.once("exit", (code, signal) => {
    if (stopping) return;
    const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
    const delayMs = Math.min(15_000, 500 * 2 ** Math.max(0, next - 1));
    console.error(`[${label}] exited (${signal ?? code}); restarting in ${delayMs} ms`);
    setTimeout(() => {
      if (stopping) return;
      const at = children.findIndex((c) => c.child === child);
      if (at >= 0) children.splice(at, 1);
      startInstance(service, index, next);
    }, delayMs);
  });
  children.push({ label, child, port });
  recordProcesses();
}

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
function prettyPrint(label: string, line: string): void {
  try {
    const { level, msg, time, service: _s, pid: _p, hostname: _h, ...rest } = JSON.parse(line);
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    console.log(`${String(time ?? "").slice(11, 23)} [${label}] ${LEVELS[level] ?? level} ${msg}${extra}`);
  } catch {
    console.log(`[${label}] ${line}`);
  }
}

/** Seconds each service gets to become ready (as infra.sh's READY_TIMEOUT): a busy shared machine needs more. */
const READY_TIMEOUT_MS = Number(process.env.READY_TIMEOUT ?? 60) * 1000;

/**
 * node:http, not fetch: fetch refuses the ports browsers block (10080 is the gate's with
 * PORT_OFFSET=2000) with "bad port", which looked like a service that never became ready.
 */
function answersReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/health/ready", timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

async function waitReady(label: string, port: number, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answersReady(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${label} not ready on :${port} after ${timeoutMs} ms`);
}

let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping services…");
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
        }),
    ),
  );
  if (process.env.KEEP_INFRA !== "1") {
    console.log("stopping nats-server, redis-server, postgres…");
    await run("bash", [join(ROOT, "infra/infra.sh"), "down"]).catch((e) => console.error(e.stderr ?? e));
  }
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
// If this runner dies, don't leave services behind in their own process groups.
process.on("exit", () => {
  for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
});

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is not set: run ./scripts/start");
await runMigrations(databaseUrl);
console.log("database migrated");

const services = discoverServices();
for (const service of services) for (let i = 0; i < service.instances; i++) startInstance(service, i);
try {
  await Promise.all(children.map(({ label, port }) => waitReady(label, port)));
} catch (error) {
  console.error((error as Error).message);
  await stopAll(1);
}
console.log(`\nready: ${children.map(({ label, port }) => `${label} :${port}`).join(", ")}`);

const demo = join(ROOT, "scripts/demo.ts");
if (existsSync(demo)) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", demo], { env: { ...peerUrls(), ...process.env }, cwd: ROOT });
  process.stdout.write(stdout);
}
// Without SMTP_URL the mail worker keeps every message; its page lists them.
if (!process.env.SMTP_URL) console.log(`e-mails sent (development outbox): ${peerUrls().GATE_URL}/dev/outbox`);
console.log("Ctrl-C stops everything.");

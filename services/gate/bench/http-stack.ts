/**
 * The whole started stack for `pnpm bench http`: `./scripts/start` itself (servers, every
 * service, the demo data) in its own DATA_DIR and PORT_OFFSET, the pids of everything it runs
 * (for CPU accounting), buyers seeded in bulk, and fresh on-sale sessions of the demo event.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { createDb } from "@rush/db";
import { accessTokenSigner } from "@rush/service";
import { REPO_ROOT, childrenOf } from "@rush/testkit";
import { sessionBody } from "../../../scripts/demo.ts";
import { metricsPortOf } from "../src/config.ts";

export const BENCH_JWT_SECRET = "rush-bench-jwt-secret-0123456789";

export interface StartedStack {
  gateUrl: string;
  catalogUrl: string;
  eventId: string;
  databaseUrl: string;
  /** nats-server's monitoring `/varz` (message counters). */
  natsVarzUrl: string;
  redisUrl: string;
  /** `/metrics` of the gate (its internal port) and of each ticket worker (see ./scripts/start's ports). */
  metricsUrls: { gateMetricsUrl: string; ticketMetricsUrls: string[] };
  /** Process ids by what they are: "gate", "ticket", "order", …, "nats-server", "redis", "postgres". */
  pids(): Map<string, number[]>;
  stop(): Promise<void>;
}

const ADMIN = { email: "admin@example.com", password: "admin-dev-password" };

/** Every service instance ./scripts/start runs, as its services.json lists them: label, pid and port. */
const startedServices = (dataPath: string) => JSON.parse(readFileSync(join(dataPath, "services.json"), "utf8")) as { label: string; port: number }[];

/** Where the started services listen, from services.json (so the start script's port rules are not written twice). */
function serviceUrlsOf(dataPath: string): Pick<StartedStack, "gateUrl" | "catalogUrl" | "metricsUrls"> {
  const started = startedServices(dataPath);
  const portOf = (label: string) => {
    const found = started.find((s) => s.label === label);
    if (!found) throw new Error(`no ${label} in ${join(dataPath, "services.json")}`);
    return found.port;
  };
  const url = (port: number, path = "") => `http://127.0.0.1:${port}${path}`;
  return {
    gateUrl: url(portOf("gate")),
    catalogUrl: url(portOf("catalog")),
    metricsUrls: {
      // The gate serves /metrics on its internal port only; the workers on their own.
      gateMetricsUrl: url(metricsPortOf({ PORT: portOf("gate") }), "/metrics"),
      ticketMetricsUrls: started.filter((s) => s.label === "ticket" || s.label.startsWith("ticket#")).map((s) => url(s.port, "/metrics")),
    },
  };
}

/** Runs `./scripts/start` and resolves once the demo is loaded. */
export async function startStack(options: {
  portOffset: number;
  dataDir: string;
  profileDir?: string;
  log: (line: string) => void;
  /** Every line the stack prints, to read after the run (BENCH_STACK_LOG). */
  logFile?: string;
  /** Settings for every service beyond the demo's (the caller's environment still wins). */
  env?: Record<string, string>;
}): Promise<StartedStack> {
  const { portOffset, dataDir } = options;
  const dataPath = dataDir.startsWith("/") ? dataDir : join(REPO_ROOT, dataDir);
  // A fresh stack each run: yesterday's streams would have the ticket workers replay old sessions first.
  rmSync(dataPath, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    ...process.env,
    PORT_OFFSET: String(portOffset),
    DATA_DIR: dataDir,
    JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    ...(options.profileDir ? { SERVICE_CPU_PROF_DIR: options.profileDir } : {}),
  };
  const child: ChildProcess = spawn("bash", [join(REPO_ROOT, "scripts/start")], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let eventId = "";
  const tail: string[] = [];
  const logFile = options.logFile ? createWriteStream(options.logFile) : undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`scripts/start exited (${code}) before the demo was loaded:\n${tail.join("\n")}`)));
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        logFile?.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        const event = /\/v1\/events\/([0-9a-f-]{36})/.exec(line);
        if (event) eventId = event[1]!;
        if (line.includes("Ctrl-C stops everything")) resolve();
        if (/ (warn|error|fatal) |exited|Error/.test(line)) options.log(line);
      });
    }
  });
  await ready;
  const pgPort = 15432 + portOffset;
  return {
    ...serviceUrlsOf(dataPath),
    eventId,
    databaseUrl: `postgres://postgres:rush-dev@127.0.0.1:${pgPort}/rush`,
    natsVarzUrl: `http://127.0.0.1:${18222 + portOffset}/varz`,
    redisUrl: `redis://127.0.0.1:${16379 + portOffset}`,
    pids: () => stackPids(child.pid!, dataPath),
    async stop() {
      child.kill("SIGTERM");
      await exited;
      logFile?.end();
    },
  };
}

function pidFile(path: string): number | undefined {
  try {
    return Number(readFileSync(path, "utf8").split("\n")[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** The runner's service children by their folder name, and the servers by their pid files. */
function stackPids(runnerPid: number, dataDir: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const add = (name: string, pid: number) => found.set(name, [...(found.get(name) ?? []), pid]);
  for (const pid of childrenOf(runnerPid)) {
    try {
      const name = basename(readlinkSync(`/proc/${pid}/cwd`));
      // A service's own children count as it: the gate's processes (GATE_PROCESSES) run under it.
      for (const one of [pid, ...childrenOf(pid)]) add(name, one);
    } catch {
      // exited meanwhile
    }
  }
  // One server, or (CLUSTER=1) nodes n1, n2, … each in its own folder.
  for (const [server, name] of [["nats", "nats-server"], ["redis", "redis"]] as const) {
    const one = pidFile(join(dataDir, `${server}/${server}.pid`));
    if (one) add(name, one);
    for (let n = 1; n <= 6; n++) {
      const node = pidFile(join(dataDir, `${server}/n${n}/${server}.pid`));
      if (node) add(name, node);
    }
  }
  const postmaster = pidFile(join(dataDir, "postgres/postmaster.pid"));
  if (postmaster) for (const pid of [postmaster, ...childrenOf(postmaster)]) add("postgres", pid);
  return found;
}

/** `count` buyers inserted in one statement, each with an access token signed with the stack's secret. */
export async function seedBuyers(databaseUrl: string, count: number): Promise<string[]> {
  const { sql, close } = createDb(databaseUrl, { max: 1, applicationName: "bench-seed" });
  const sign = accessTokenSigner(BENCH_JWT_SECRET);
  const run = randomUUID().slice(0, 8);
  const ids = Array.from({ length: count }, () => randomUUID());
  try {
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = ids.slice(i, i + 5000).map((id, j) => ({ id, email: `bench-${run}-${i + j}@bench.invalid`, password_hash: "!", display_name: "Bench Buyer" }));
      await sql`INSERT INTO users ${sql(rows, "id", "email", "password_hash", "display_name")}`;
    }
  } finally {
    await close();
  }
  return ids.map((id, i) => sign({ id, email: `bench-${run}-${i}@bench.invalid`, roles: ["customer"] }));
}

async function call<T>(url: string, method: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(150_000),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A fresh, published on-sale session of the demo event (20,000 seats, areas S01–S20). */
export async function openSession(stack: StartedStack): Promise<string> {
  const { accessToken } = await call<{ accessToken: string }>(`${stack.catalogUrl}/v1/auth/login`, "POST", ADMIN);
  const session = await call<{ id: string }>(`${stack.catalogUrl}/v1/events/${stack.eventId}/sessions`, "POST", sessionBody(false), accessToken);
  await call(`${stack.catalogUrl}/v1/sessions/${session.id}/publish`, "POST", undefined, accessToken);
  return session.id;
}

/** Clock ticks of CPU (user + system) a process has used. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * Context switches, voluntary (it waited: a read, a futex, epoll) and not (preempted), summed over
 * the process's threads: each is a wake-up or a lost core. A thread that ended takes its count
 * with it, so a window's delta is clamped at zero by the caller.
 */
export function contextSwitches(pid: number): number {
  let total = 0;
  for (const task of listDir(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, "utf8");
      total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}

/** Linux USER_HZ: /proc counts CPU in hundredths of a second. */
export const TICK_MS = 10;

export const listDir = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { request } from "node:http";
import { childrenOf, freePort, type ServiceProcess, type TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPT_HANDLES } from "./accept-handles.ts";
import { accessToken, browserHeaders, type Stack, seedSession, spawnGate, startStack } from "./test-stack.ts";

/** The inode of the socket listening on this loopback port (state 0A in /proc/net/tcp). */
function listeningInode(port: number): string {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const row = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[1] === local && cols[3] === "0A");
  if (!row) throw new Error(`nothing listens on 127.0.0.1:${port}`);
  return row[9]!;
}

/** How many of a process's file descriptors are this socket. */
const descriptorsOf = (pid: number, inode: string) =>
  readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
    } catch {
      return false; // closed meanwhile
    }
  }).length;

/** One request on a connection of its own (`agent: false`), as a buyer arriving: it must be accepted. */
function post(url: string, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: "POST", agent: false, headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** The sum of a counter's samples with these labels in Prometheus text. */
const counter = (text: string, name: string, labels: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);

describe("gate processes (GATE_PROCESSES=2: real nats-server, Redis, PostgreSQL, ticket worker)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let gate: ServiceProcess;
  let metricsUrl: string;
  let sessionId: string;

  beforeAll(async () => {
    database = await testDatabase();
    stack = await startStack(database);
    sessionId = await seedSession(stack, { areas: [{ id: "A", rows: 10, perRow: 20, price: "10.00" }] });
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    gate = await spawnGate(stack, { GATE_PROCESSES: "2", METRICS_PORT: String(metricsPort), LOG_LEVEL: "info" });
  }, 240_000);
  afterAll(async () => {
    await gate?.kill();
    await stack?.close();
    await database?.drop();
  });

  /** A new buyer's hold on a connection of its own, to `url` (the file's gate unless said). */
  const holdOnNewConnection = (url = gate.url) => {
    const buyer = randomUUID();
    return post(url, `/v1/sessions/${sessionId}/holds`, { ...browserHeaders(accessToken(buyer)), "idempotency-key": randomUUID() }, { areaId: "A", quantity: 1 });
  };
  const workers = () => childrenOf(gate.child.pid!);
  const listening = () => [...gate.output().matchAll(/"instance":"([^"]+)"[^\n]*"msg":"gate listening"/g)].map((m) => m[1]);

  it("gate processes: two processes share the port, and /metrics on the primary sums their counters", async () => {
    await expect.poll(() => new Set(listening()).size, { timeout: 60_000 }).toBe(2);
    expect(workers()).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 24 }, () => holdOnNewConnection()));
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(201));
    const metrics = await (await fetch(metricsUrl)).text();
    // Whichever process took each connection, the primary's page counts all 24.
    expect(counter(metrics, "gate_seat_commands_total", 'outcome="held"'), metrics.slice(0, 2000)).toBe(24);
  });

  it("gate processes: each process accepts on ACCEPT_HANDLES copies of the one listening socket, bound once by the primary", async () => {
    await expect.poll(() => new Set(listening()).size, { timeout: 60_000 }).toBe(2);
    const inode = listeningInode(Number(new URL(gate.url).port));
    // One connection per copy per event-loop turn: with one copy a busy process took ~50 a second.
    for (const pid of workers()) expect(descriptorsOf(pid, inode)).toBe(ACCEPT_HANDLES);
    expect(descriptorsOf(gate.child.pid!, inode)).toBe(1);
    expect(gate.output()).toContain(`"acceptHandles":${ACCEPT_HANDLES}`);
  });

  it("gate processes: a SIGKILLed process is started again, and the other takes every connection meanwhile", async () => {
    const [first, survivor] = workers();
    process.kill(first!, "SIGKILL");
    // The survivor alone answers while its sibling is down.
    const meanwhile = await Promise.all(Array.from({ length: 10 }, () => holdOnNewConnection()));
    expect(meanwhile.map((a) => a.status)).toEqual(Array(10).fill(201));
    await expect.poll(() => workers().filter((pid) => pid !== first).length, { timeout: 30_000 }).toBe(2);
    expect(gate.output()).toContain("gate process exited: starting it again");
    await expect.poll(() => listening().length, { timeout: 60_000 }).toBe(3);
    // Then the restarted one alone takes the connections: the survivor goes down too.
    const restarted = workers().find((pid) => pid !== survivor)!;
    process.kill(survivor!, "SIGKILL");
    const after = await Promise.all(Array.from({ length: 10 }, () => holdOnNewConnection()));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(201));
    // The restarted process asked for its copies of the socket and got them.
    const inode = listeningInode(Number(new URL(gate.url).port));
    expect(descriptorsOf(restarted, inode)).toBe(ACCEPT_HANDLES);
  }, 120_000);

  it("gate processes: one process with GATE_ACCEPT_HANDLES runs under a primary and accepts on that many copies (./scripts/start's gate)", async () => {
    const metricsPort = await freePort();
    const single = await spawnGate(stack, { GATE_PROCESSES: "1", GATE_ACCEPT_HANDLES: "16", METRICS_PORT: String(metricsPort), LOG_LEVEL: "info" });
    try {
      await expect.poll(() => single.output().match(/"msg":"gate listening"/g)?.length ?? 0, { timeout: 60_000 }).toBe(1);
      const [worker, ...others] = childrenOf(single.child.pid!);
      expect(others).toEqual([]);
      const inode = listeningInode(Number(new URL(single.url).port));
      expect(descriptorsOf(worker!, inode)).toBe(16);
      expect(descriptorsOf(single.child.pid!, inode)).toBe(1);
      expect(single.output()).toContain('"acceptHandles":16');
      const answers = await Promise.all(Array.from({ length: 8 }, () => holdOnNewConnection(single.url)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(counter(metrics, "gate_seat_commands_total", 'outcome="held"')).toBe(8);
    } finally {
      await single.kill();
    }
  }, 120_000);

  it("gate processes: SIGTERM to the primary drains every process and exits 0", async () => {
    await expect.poll(() => listening().length, { timeout: 60_000 }).toBe(4);
    const pids = workers();
    const exited = new Promise<number | null>((resolve) => gate.child.once("exit", (code) => resolve(code)));
    gate.child.kill("SIGTERM");
    expect(await exited, gate.output().slice(-3000)).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});

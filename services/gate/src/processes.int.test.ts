import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { type ServiceProcess, type TestDatabase, freePort } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, accessToken, browserHeaders, seedSession, spawnGate, startStack } from "./test-stack.ts";

const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

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

  const holdOnNewConnection = () => {
    const buyer = randomUUID();
    return post(gate.url, `/v1/sessions/${sessionId}/holds`, { ...browserHeaders(accessToken(buyer)), "idempotency-key": randomUUID() }, { areaId: "A", quantity: 1 });
  };
  const workers = () => childrenOf(gate.child.pid!);
  const listening = () => [...gate.output().matchAll(/"instance":"([^"]+)"[^\n]*"msg":"gate listening"/g)].map((m) => m[1]);

  it("gate processes: two processes share the port, and /metrics on the primary sums their counters", async () => {
    await expect.poll(() => new Set(listening()).size, { timeout: 60_000 }).toBe(2);
    expect(workers()).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 24 }, holdOnNewConnection));
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(201));
    const metrics = await (await fetch(metricsUrl)).text();
    // Whichever process took each connection, the primary's page counts all 24.
    expect(counter(metrics, "gate_seat_commands_total", 'outcome="held"'), metrics.slice(0, 2000)).toBe(24);
  });

  it("gate processes: a SIGKILLed process is started again, and the other takes every connection meanwhile", async () => {
    const [first, survivor] = workers();
    process.kill(first!, "SIGKILL");
    // The survivor alone answers while its sibling is down.
    const meanwhile = await Promise.all(Array.from({ length: 10 }, holdOnNewConnection));
    expect(meanwhile.map((a) => a.status)).toEqual(Array(10).fill(201));
    await expect.poll(() => workers().filter((pid) => pid !== first).length, { timeout: 30_000 }).toBe(2);
    expect(gate.output()).toContain("gate process exited: starting it again");
    await expect.poll(() => listening().length, { timeout: 60_000 }).toBe(3);
    // Then the restarted one alone takes the connections: the survivor goes down too.
    process.kill(survivor!, "SIGKILL");
    const after = await Promise.all(Array.from({ length: 10 }, holdOnNewConnection));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(201));
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

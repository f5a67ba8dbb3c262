/**
 * `pnpm bench pay-now`: holds paid the moment they are granted, on the whole started stack
 * (`./scripts/start` in `DATA_DIR`, default .data/bench, with `PORT_OFFSET`, rate limits on).
 * Holds start open-loop at PAY_NOW_RATE per second (200) for PAY_NOW_SECONDS (5), one new buyer
 * each, best-available 2 seats; each 201 is followed at once by `POST /v1/orders/:id/pay` with the
 * mock provider, asked again after a 503/429 (as the API says) until it is answered or 30 s pass,
 * in PAY_NOW_ROUNDS rounds (2) on the same stack, a fresh session each: cold processes, then warm.
 * The order a hold names is written downstream of the grant, so this is the read-your-writes
 * case: it prints the first and the final answer of every pay and fails (exit 1) on any 404.
 *
 * It also prints what a paid hold costs: each process's CPU (`/proc`) from the first hold until
 * every paid order has its tickets, above its idle rate, per paid hold — the hold, the pay and
 * everything downstream (orders, tickets, notifications, mail). `--profile` runs every service
 * under `--cpu-prof` and shows where each one's CPU went in that window.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@rush/db";
import { type Client, createClient } from "../../gate/bench/http-client.ts";
import { type CpuWindow, cpuWindow, idleRates, printCpu, printProfiles } from "../../gate/bench/http-report.ts";
import { openSession, seedBuyers, startStack } from "../../gate/bench/http-stack.ts";

const RATE = Number(process.env.PAY_NOW_RATE ?? 200);
const SECONDS = Number(process.env.PAY_NOW_SECONDS ?? 5);
const PAY_DEADLINE_MS = 30_000;
/** How long the bench waits, after the last pay, for every paid order's tickets. */
const TICKETS_DEADLINE_MS = 60_000;
const PROFILE = process.argv.includes("--profile");
/** Rounds on the same stack, a fresh session each: the first meets cold processes (JIT, lazy imports), the next ones warm. */
const ROUNDS = Number(process.env.PAY_NOW_ROUNDS ?? 2);
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);
const AREAS = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(2, "0")}`);

const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const show = (map: Map<string, number>) => [...map].sort().map(([k, n]) => `${k}×${n}`).join(" ") || "—";
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const codeOf = (status: number, body: string) => {
  if (status < 400) return String(status);
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === "string" ? `${status} ${code}` : String(status);
  } catch {
    return String(status);
  }
};

async function payUntilAnswered(client: Client, token: string, orderId: string, first: Map<string, number>): Promise<{ code: string; ms: number }> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    let code: string;
    try {
      const answer = await client.post({ path: `/v1/orders/${orderId}/pay`, headers: { authorization: `Bearer ${token}`, accept: "application/json" }, body: '{"provider":"mock"}' });
      code = codeOf(answer.status, answer.body);
    } catch {
      code = "no answer";
    }
    if (attempt === 0) tally(first, code);
    const retry = code.startsWith("503") || code.startsWith("429") || code === "no answer";
    if (!retry || performance.now() - started > PAY_DEADLINE_MS) return { code, ms: performance.now() - started };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Waits until `paid` orders of the session have their tickets (issued downstream of the sale); the seconds it took, or undefined. */
async function ticketsIssued(databaseUrl: string, sessionId: string, paid: number): Promise<number | undefined> {
  const { sql, close } = createDb(databaseUrl, { max: 1, applicationName: "bench-pay-now" });
  const started = performance.now();
  try {
    while (performance.now() - started < TICKETS_DEADLINE_MS) {
      const [row] = await sql<{ n: number }[]>`SELECT count(DISTINCT order_id)::int AS n FROM tickets WHERE session_id = ${sessionId}`;
      if ((row?.n ?? 0) >= paid) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  } finally {
    await close();
  }
}

interface RoundResult {
  holds: Map<string, number>;
  firstPay: Map<string, number>;
  finalPay: Map<string, number>;
  /** Each pay's time until answered, sorted. */
  payMs: number[];
  issuedIn: number;
  answeredIn: number;
  granted: number;
  notFound: number;
  ticketedAfter: number | undefined;
  window: CpuWindow;
}

/** One round: holds open-loop at RATE on `sessionId`, each paid when granted, until every paid order has its tickets. */
async function payRound(databaseUrl: string, client: Client, sessionId: string, tokens: string[], pids: Map<string, number[]>): Promise<RoundResult> {
  const cpu = cpuWindow(pids);
  const holds = new Map<string, number>();
  const firstPay = new Map<string, number>();
  const finalPay = new Map<string, number>();
  const payMs: number[] = [];
  const started = performance.now();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const wait = started + (i / RATE) * 1000 - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const token = tokens[i]!;
    tasks.push(
      (async () => {
        let answer: { status: number; body: string };
        try {
          answer = await client.post({
            path: `/v1/sessions/${sessionId}/holds`,
            headers: { authorization: `Bearer ${token}`, "idempotency-key": randomUUID(), accept: "application/json" },
            body: JSON.stringify({ areaId: AREAS[i % AREAS.length], quantity: 2 }),
          });
        } catch {
          tally(holds, "no answer");
          return;
        }
        tally(holds, codeOf(answer.status, answer.body));
        if (answer.status !== 201) return;
        const { orderId } = JSON.parse(answer.body) as { orderId: string };
        const paid = await payUntilAnswered(client, token, orderId, firstPay);
        tally(finalPay, paid.code);
        payMs.push(paid.ms);
      })(),
    );
  }
  const issuedIn = (performance.now() - started) / 1000;
  await Promise.all(tasks);
  const answeredIn = (performance.now() - started) / 1000;
  const ticketedAfter = await ticketsIssued(databaseUrl, sessionId, finalPay.get("200") ?? 0);
  const window = cpu.end(finalPay.get("200") ?? 0);
  payMs.sort((a, b) => a - b);
  const notFound = [...firstPay, ...finalPay].filter(([code]) => code.startsWith("404")).reduce((n, [, c]) => n + c, 0);
  return { holds, firstPay, finalPay, payMs, issuedIn, answeredIn, granted: holds.get("201") ?? 0, notFound, ticketedAfter, window };
}

function report(r: RoundResult, total: number): void {
  const paid = r.finalPay.get("200") ?? 0;
  console.log(`  holds asked ${total} in ${r.issuedIn.toFixed(1)} s (${(total / r.issuedIn).toFixed(0)}/s): ${show(r.holds)}`);
  console.log(`  pays, first answer: ${show(r.firstPay)}`);
  console.log(`  pays, final answer: ${show(r.finalPay)}`);
  console.log(`  pay until answered p50/p99: ${percentile(r.payMs, 50).toFixed(0)}/${percentile(r.payMs, 99).toFixed(0)} ms; ${r.granted} holds granted, ${paid} paid`);
  console.log(`  404 on pay: ${r.notFound}`);
  console.log(
    `  every pay answered ${r.answeredIn.toFixed(1)} s after the first hold (${(paid / r.answeredIn).toFixed(1)} paid/s); ` +
      (r.ticketedAfter === undefined ? `NOT every paid order had its tickets ${TICKETS_DEADLINE_MS / 1000} s later` : `every paid order had its tickets ${r.ticketedAfter.toFixed(1)} s after that`),
  );
}

async function main() {
  console.log(`pay-now bench: whole stack (./scripts/start, PORT_OFFSET=${PORT_OFFSET}), holds at ${RATE}/s for ${SECONDS} s, each paid the moment it is granted${PROFILE ? ", --cpu-prof on every service" : ""}`);
  // BENCH_PROFILE_DIR keeps the profiles there (for a per-function look); else a temp dir, removed.
  const keepDir = process.env.BENCH_PROFILE_DIR;
  if (PROFILE && keepDir) mkdirSync(keepDir, { recursive: true });
  const profileDir = PROFILE ? (keepDir ?? mkdtempSync(join(tmpdir(), "rush-pay-prof-"))) : undefined;
  const stack = await startStack({ portOffset: PORT_OFFSET, dataDir: process.env.DATA_DIR ?? ".data/bench", ...(profileDir ? { profileDir } : {}), log: (l) => console.log(`  | ${l}`) });
  const client = createClient(stack.gateUrl);
  let window: CpuWindow | undefined;
  try {
    const total = Math.round(RATE * SECONDS);
    const tokens = await seedBuyers(stack.databaseUrl, total * ROUNDS);
    for (let round = 1; round <= ROUNDS; round++) {
      const sessionId = await openSession(stack);
      const idle = await idleRates(stack.pids(), 4);
      const label = ROUNDS === 1 ? "the run" : `round ${round} of ${ROUNDS}${round === 1 ? " (a fresh stack)" : ""}`;
      const result = await payRound(stack.databaseUrl, client, sessionId, tokens.slice((round - 1) * total, round * total), stack.pids());
      window = result.window;
      console.log(`\n  ${label}:`);
      report(result, total);
      printCpu(`${label}, first hold → every paid order's tickets`, result.window, idle, "paid hold");
      if (result.notFound > 0 || result.granted === 0 || result.ticketedAfter === undefined) process.exitCode = 1;
    }
  } finally {
    client.close();
    await stack.stop();
  }
  if (profileDir && window) {
    printProfiles(profileDir, window);
    if (!keepDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();

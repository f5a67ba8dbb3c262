/**
 * `pnpm bench http [--profile]`: HTTP holds per second on the whole started stack, as a user
 * runs it. Starts `./scripts/start` (every service, the demo's defaults, rate limits on) in
 * `DATA_DIR` (default .data/bench) with `PORT_OFFSET` (default 0), seeds buyers with tokens,
 * then per concurrency level opens a fresh 20,000-seat session and drives best-available
 * 2-seat holds, one new buyer per request, from 249 loopback source addresses; then the same
 * at half the best rate (open loop), then a bare Fastify route with the same client. Prints
 * holds/s, p50/p99, the ratio to the bare route, and each process's CPU per hold.
 * `--profile` runs every service under `--cpu-prof` and breaks down the 64-connection level's
 * CPU per hold by package (BENCH_PROFILE_DIR keeps the `.cpuprofile` files). Bounded: BENCH_SECONDS (8) and BENCH_MAX_HOLDS (9,000) per level.
 * The open loop's CPU and wake-ups per hold are printed too. BENCH_OPEN_RATE=<holds/s> runs it
 * at that rate instead of half the best: the comparison to use on a shared machine.
 * The load comes from a lean raw-socket client (raw-http-client.ts); BENCH_CLIENT=node uses
 * node:http's agent instead, as the runs recorded before 2 Dec 2026 22:00 UTC did.
 * BENCH_STACK_LOG=<file> keeps everything the stack printed (the services' warnings, a late hold, a 202).
 * BENCH_TRACE_FILE=<file> appends one line per hold: "<level> <start, epoch ms> <latency ms> <status>
 * <pre> <begin> <engine> <gate total> <stream> <delivery> <queue> <actor> <reply>" (level: the
 * connections, or open@<rate>; the rest, in ms, from the gate's Server-Timing, which the stack then
 * sends: SERVER_TIMING=true; the last five split `engine` by the actor's hop times), to find which
 * moments made a p99, where they waited, and match them with a poll of the processes' CPU. The
 * report then adds each hop's mean over every hold and over the slowest 1 % (hop-split.ts).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type Call, type Client, type Figure, createClient as createNodeClient, drive } from "./http-client.ts";
import { createRawClient } from "./raw-http-client.ts";
import { hopLines } from "./hop-split.ts";
import { openSession, seedBuyers, startStack } from "./http-stack.ts";
import { Redis } from "ioredis";
import { type Pauses, type Split, latencyWindow, pauseLines, splitLines } from "./latency-split.ts";
import { type CpuWindow, type WakeCounts, cpuWindow, idleRates, printCpu, printProfiles, printWakeUps, wakeWindow } from "./http-report.ts";

const createClient = process.env.BENCH_CLIENT === "node" ? createNodeClient : createRawClient;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const MAX = Number(process.env.BENCH_MAX_HOLDS ?? 9000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "16,64,128").split(",").map(Number);
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 0);
const TRACE_FILE = process.env.BENCH_TRACE_FILE;
const PROFILE = process.argv.includes("--profile");
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);
const AREAS = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(2, "0")}`);

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "—");
const codes = (f: Figure) => [...f.statuses].map(([status, n]) => `${status}×${n}`).join(" ");

async function startBareRoute(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "bare-route.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

async function main() {
  // BENCH_PROFILE_DIR keeps the profiles there (for a per-function look); else a temp dir, removed.
  const keepDir = process.env.BENCH_PROFILE_DIR;
  if (PROFILE && keepDir) mkdirSync(keepDir, { recursive: true });
  const profileDir = PROFILE ? (keepDir ?? mkdtempSync(join(tmpdir(), "rush-http-prof-"))) : undefined;
  console.log(`http bench: whole stack (./scripts/start, PORT_OFFSET=${PORT_OFFSET}), best-available 2 seats, new buyer per request, levels ${LEVELS.join("/")}, ≤ ${SECONDS} s or ${fmt(MAX)} holds each${PROFILE ? ", --cpu-prof on every service" : ""}`);
  const stack = await startStack({ portOffset: PORT_OFFSET, dataDir: process.env.DATA_DIR ?? ".data/bench", ...(profileDir ? { profileDir } : {}), log: (l) => console.log(`  | ${l}`), ...(process.env.BENCH_STACK_LOG ? { logFile: process.env.BENCH_STACK_LOG } : {}), ...(TRACE_FILE ? { env: { SERVER_TIMING: "true" } } : {}) });
  const client = createClient(stack.gateUrl);
  // Reads the servers' counters only (INFO, /varz): a few calls per level, outside the holds' path.
  const wakeSources = { natsVarzUrl: stack.natsVarzUrl, redis: new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) };
  let profiled: CpuWindow | undefined;
  try {
    const tokens = await seedBuyers(stack.databaseUrl, (LEVELS.length + 1) * (MAX + 300));
    const wakeIdle = await wakeWindow(wakeSources);
    const idleFrom = performance.now();
    const idle = await idleRates(stack.pids(), 4);
    // Wake-ups a second with no load, over the same seconds as the CPU idle rates.
    const idleWakeUps = await wakeIdle.end().then((counts) => {
      const seconds = (performance.now() - idleFrom) / 1000;
      return counts && { natsIn: counts.natsIn / seconds, natsOut: counts.natsOut / seconds, redisReads: counts.redisReads / seconds };
    });
    let used = 0;
    const holdCall = (sessionId: string) => (i: number): Call => ({
      path: `/v1/sessions/${sessionId}/holds`,
      headers: { authorization: `Bearer ${tokens[used++ % tokens.length]}`, "idempotency-key": randomUUID(), accept: "application/json" },
      body: JSON.stringify({ areaId: AREAS[i % AREAS.length], quantity: 2 }),
    });
    const level = async (options: { concurrency: number; rate?: number }) => {
      const sessionId = await openSession(stack);
      // Warm the gate's caches and the connections outside the measurement.
      await drive(client, { concurrency: 16, seconds: 5, max: 200 }, holdCall(sessionId));
      const wakeUps = await wakeWindow(wakeSources);
      const latency = await latencyWindow(stack.metricsUrls);
      const window = cpuWindow(stack.pids());
      const trace = TRACE_FILE ? [] : undefined;
      const figure = await drive(client, { ...options, seconds: SECONDS, max: MAX, ...(trace ? { trace } : {}) }, holdCall(sessionId));
      if (trace) appendFileSync(TRACE_FILE!, trace.map((line) => `${options.rate ? `open@${options.rate}` : options.concurrency} ${line}\n`).join(""));
      const cpu = window.end(figure.statuses.get(201) ?? 0);
      const { splits, renewals, pauses, seconds } = await latency.end();
      return { figure, cpu, wakeUps: await wakeUps.end(), split: splits, renewals, pauses, seconds, trace: trace ?? [] };
    };

    console.log("\n  connections │ holds/s    p50 ms   p99 ms │ answers");
    let best = 0;
    const runs: { concurrency: number; figure: Figure; cpu: CpuWindow; wakeUps: WakeCounts | undefined; split: Split[]; renewals: number; pauses: Pauses[]; seconds: number; trace: string[] }[] = [];
    for (const concurrency of LEVELS) {
      const run = await level({ concurrency });
      const { figure, renewals } = run;
      runs.push({ concurrency, ...run });
      best = Math.max(best, figure.statuses.get(201) ? figure.perSecond : 0);
      const replaced = renewals > 0 ? ` (${renewals} command consumers replaced)` : "";
      console.log(`  ${String(concurrency).padStart(11)} │ ${fmt(figure.perSecond).padStart(7)} ${fmt(figure.p50, 1).padStart(9)} ${fmt(figure.p99, 1).padStart(8)} │ ${codes(figure)}${replaced}`);
    }
    // BENCH_OPEN_RATE fixes the open-loop rate: two trees compared at the same rate batch alike,
    // so their CPU per hold differs by the code, not by how busy the machine let each run be.
    const openRate = OPEN_RATE > 0 ? OPEN_RATE : Math.max(1, Math.round(best / 2));
    const half = await level({ concurrency: 0, rate: openRate });
    console.log(`  ${(OPEN_RATE > 0 ? "open loop" : "half load").padEnd(11)} │ ${fmt(half.figure.perSecond).padStart(7)} ${fmt(half.figure.p50, 1).padStart(9)} ${fmt(half.figure.p99, 1).padStart(8)} │ ${codes(half.figure)} (open loop at ${fmt(openRate)}/s)`);

    const bare = await startBareRoute();
    const bareClient: Client = createClient(bare.url);
    await drive(bareClient, { concurrency: 16, seconds: 2, max: 2000 }, () => ({ path: "/bare", headers: {}, body: '{"areaId":"S01","quantity":2}' }));
    const bareFigure = await drive(bareClient, { concurrency: 64, seconds: 5, max: 200_000 }, () => ({ path: "/bare", headers: {}, body: '{"areaId":"S01","quantity":2}' }));
    bareClient.close();
    bare.stop();
    console.log(`  bare route  │ ${fmt(bareFigure.perSecond).padStart(7)} ${fmt(bareFigure.p50, 1).padStart(9)} ${fmt(bareFigure.p99, 1).padStart(8)} │ ${codes(bareFigure)} (64 connections)`);
    console.log(`\n  holds / bare route: 1/${fmt(bareFigure.perSecond / best, 1)} (best hold level ${fmt(best)}/s)`);

    const at64 = runs.find((r) => r.concurrency === 64) ?? runs[0]!;
    // The services' own histograms: which stretch of a hold holds the tail.
    for (const [title, { figure, split, renewals, pauses, seconds, trace }] of [
      [`the ${at64.concurrency}-connection level`, at64],
      [OPEN_RATE > 0 ? `the open loop at ${fmt(OPEN_RATE)}/s` : "half load", half],
    ] as const) {
      console.log(`\n  where a hold's time goes, ${title} (client: p50 ${fmt(figure.p50, 1)} ms, p99 ${fmt(figure.p99, 1)} ms):`);
      for (const line of splitLines(split)) console.log(line);
      // With BENCH_TRACE_FILE: every hop of the traced holds, from the gate's and the actor's own times.
      for (const line of hopLines(trace)) console.log(line);
      // A loop stopped by GC or a long task holds every hold in flight in that process.
      for (const line of pauseLines(pauses, seconds)) console.log(line);
      // A replaced command consumer pauses its partition: a level with one is not a steady state.
      if (renewals > 0) console.log(`  command consumers replaced by the workers meanwhile: ${renewals}`);
    }
    profiled = at64.cpu;
    printCpu(`the ${at64.concurrency}-connection level`, at64.cpu, idle);
    printWakeUps(at64.cpu, at64.wakeUps, idleWakeUps);
    // Always beside it: on this VM a hold at half the rate costs nearly twice the CPU (more
    // wake-ups per hold, less batching), so "half load" is not half of the machine.
    printCpu(OPEN_RATE > 0 ? `the open loop at ${fmt(OPEN_RATE)}/s` : `half load (${fmt(openRate)}/s)`, half.cpu, idle);
    printWakeUps(half.cpu, half.wakeUps, idleWakeUps);
  } finally {
    client.close();
    wakeSources.redis.disconnect();
    await stack.stop();
  }
  if (profileDir && profiled) {
    printProfiles(profileDir, profiled);
    if (!keepDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();

/**
 * What `pnpm bench http` prints about CPU: each process's CPU over one measured level, per hold
 * and as a share of one core, and (with `--profile`) where each process spent it, by package.
 */
import { join } from "node:path";
import { monotonicUs, summarizeProfile } from "./cpu-profile.ts";
import { TICK_MS, cpuTicks, listDir } from "./http-stack.ts";

export interface CpuWindow {
  fromUs: number;
  toUs: number;
  holds: number;
  /** CPU milliseconds per process group over the window. */
  cpuMs: Map<string, number>;
}

/** Messages into and out of nats-server over a window (its `/varz` counters; every client's). */
export interface NatsCounts {
  inMsgs: number;
  outMsgs: number;
}

async function natsCounts(varzUrl: string): Promise<NatsCounts | undefined> {
  try {
    const varz = (await (await fetch(varzUrl, { signal: AbortSignal.timeout(2_000) })).json()) as { in_msgs: number; out_msgs: number };
    return { inMsgs: varz.in_msgs, outMsgs: varz.out_msgs };
  } catch {
    return undefined;
  }
}

/**
 * Starts counting nats-server's messages; `end` gives the window's in/out deltas. Each message
 * wakes a process up on both sides, so messages per hold say what a hold costs beyond its own code.
 */
export async function natsWindow(varzUrl: string): Promise<{ end(): Promise<NatsCounts | undefined> }> {
  const before = await natsCounts(varzUrl);
  return {
    async end() {
      const after = await natsCounts(varzUrl);
      return before && after ? { inMsgs: after.inMsgs - before.inMsgs, outMsgs: after.outMsgs - before.outMsgs } : undefined;
    },
  };
}

/**
 * nats-server messages per granted hold over a level's window, above the idle rate (lease
 * renewals, heartbeats, polls: per second, not per hold, so they would make a slow run look chattier).
 */
export function printNats(window: CpuWindow, counts: NatsCounts | undefined, idle: NatsCounts | undefined): void {
  if (!counts) return;
  const holds = Math.max(1, window.holds);
  const seconds = (window.toUs - window.fromUs) / 1e6;
  const above = (n: number, idleRate = 0) => Math.max(0, n - idleRate * seconds) / holds;
  console.log(
    `  nats-server messages per hold (above idle): ${fmt(above(counts.inMsgs, idle?.inMsgs), 1)} in, ${fmt(above(counts.outMsgs, idle?.outMsgs), 1)} out` +
      ` (${fmt(counts.inMsgs)} in, ${fmt(counts.outMsgs)} out over the window; idle ${fmt(idle?.inMsgs ?? Number.NaN)}/${fmt(idle?.outMsgs ?? Number.NaN)} a second)`,
  );
}

/** CPU milliseconds per second each process group spends with no load (timers, polls, leases). */
export type IdleRates = Map<string, number>;

/** Measures the stack's idle CPU for `seconds`, to subtract it from a loaded window. */
export async function idleRates(pids: Map<string, number[]>, seconds: number): Promise<IdleRates> {
  const window = cpuWindow(pids);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const idle = window.end(0);
  const elapsed = (idle.toUs - idle.fromUs) / 1e6;
  return new Map([...idle.cpuMs].map(([name, ms]) => [name, ms / elapsed]));
}

/** Starts counting CPU for `pids` (and this client process); `end` closes the window. */
export function cpuWindow(pids: Map<string, number[]>) {
  const fromUs = monotonicUs();
  const client = process.cpuUsage();
  const before = new Map([...pids].map(([name, list]) => [name, list.reduce((sum, pid) => sum + cpuTicks(pid), 0)]));
  return {
    end(holds: number): CpuWindow {
      const toUs = monotonicUs();
      const cpuMs = new Map<string, number>();
      for (const [name, list] of pids) cpuMs.set(name, (list.reduce((sum, pid) => sum + cpuTicks(pid), 0) - (before.get(name) ?? 0)) * TICK_MS);
      const used = process.cpuUsage(client);
      cpuMs.set("load client (this bench)", (used.user + used.system) / 1000);
      return { fromUs, toUs, holds, cpuMs };
    },
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "—");

/** Each process's CPU over the window: share of one core, and µs per granted hold above its idle rate. */
export function printCpu(concurrency: number, window: CpuWindow, idle: IdleRates): void {
  const seconds = (window.toUs - window.fromUs) / 1e6;
  const perHold = (name: string, ms: number) => (Math.max(0, ms - (idle.get(name) ?? 0) * seconds) * 1000) / Math.max(1, window.holds);
  console.log(`\n  CPU during the ${concurrency}-connection level (${fmt(window.holds)} holds granted in ${fmt(seconds, 1)} s; /proc, 10 ms ticks)`);
  console.log("  process                     │ % of a core │ idle % │ µs CPU per hold (above idle)");
  let total = 0;
  let totalPerHold = 0;
  for (const [name, ms] of [...window.cpuMs].sort((a, b) => perHold(b[0], b[1]) - perHold(a[0], a[1]))) {
    total += ms;
    totalPerHold += perHold(name, ms);
    console.log(`  ${name.padEnd(27)} │ ${fmt(ms / 10 / seconds).padStart(10)}% │ ${fmt((idle.get(name) ?? 0) / 10).padStart(5)}% │ ${fmt(perHold(name, ms)).padStart(8)}`);
  }
  console.log(`  ${"all".padEnd(27)} │ ${fmt(total / 10 / seconds).padStart(10)}% │        │ ${fmt(totalPerHold).padStart(8)}`);
}

/**
 * Per profiled process: what its CPU went on, as shares of its samples in the window. Shares, not
 * sampled microseconds: on a contended machine a sample's span includes time the process waited
 * for a core, so only the proportions are trustworthy; /proc gives the CPU itself (printCpu).
 */
export function printProfiles(dir: string, window: CpuWindow, top = 8): void {
  console.log(`\n  where the CPU went (--cpu-prof self time in the same window, share of each process's samples; top ${top})`);
  for (const service of listDir(dir).sort()) {
    // The busiest of a process's profiles is its main thread's (the others: loader, workers).
    const summaries = listDir(join(dir, service))
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => summarizeProfile(join(dir, service, f), window.fromUs, window.toUs));
    const summary = summaries.sort((a, b) => b.busyUs - a.busyUs)[0];
    if (!summary || summary.busyUs === 0) continue;
    const parts = summary.byCategory.slice(0, top).map(([category, us]) => `${category} ${fmt((100 * us) / summary.busyUs)}%`);
    console.log(`  ${service.padEnd(14)} ${parts.join(", ")}`);
  }
}

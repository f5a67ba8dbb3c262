/**
 * What `pnpm bench http` prints about CPU: each process's CPU over one measured level, per hold
 * and as a share of one core, and (with `--profile`) where each process spent it, by package.
 */
import { join } from "node:path";
import type { Redis } from "ioredis";
import { redisReadsProcessed } from "@rush/testkit";
import { monotonicUs, summarizeProfile } from "./cpu-profile.ts";
import { TICK_MS, contextSwitches, cpuTicks, listDir } from "./http-stack.ts";

export interface CpuWindow {
  fromUs: number;
  toUs: number;
  holds: number;
  /** CPU milliseconds per process group over the window. */
  cpuMs: Map<string, number>;
  /** Context switches per process group over the window (its threads', see `contextSwitches`). */
  switches: Map<string, number>;
}

/**
 * Wake-ups over a window, from the servers' own counters: messages into and out of nats-server
 * (`/varz`, every client's) and the reads Redis handled (`INFO stats` total_reads_processed: one
 * per socket read, however many commands it carried). Each message or read wakes a process up
 * on both sides, so these per hold say what a hold costs beyond its own code.
 */
export interface WakeCounts {
  natsIn: number;
  natsOut: number;
  redisReads: number;
}

export interface WakeSources {
  natsVarzUrl: string;
  redis: Redis;
}

async function wakeCounts(sources: WakeSources): Promise<WakeCounts | undefined> {
  try {
    const [varz, reads] = await Promise.all([
      fetch(sources.natsVarzUrl, { signal: AbortSignal.timeout(2_000) }).then((res) => res.json() as Promise<{ in_msgs: number; out_msgs: number }>),
      redisReadsProcessed(sources.redis),
    ]);
    return { natsIn: varz.in_msgs, natsOut: varz.out_msgs, redisReads: reads };
  } catch {
    return undefined;
  }
}

/** Starts counting wake-ups; `end` gives the window's deltas (the counters' own reads included: a few). */
export async function wakeWindow(sources: WakeSources): Promise<{ end(): Promise<WakeCounts | undefined> }> {
  const before = await wakeCounts(sources);
  return {
    async end() {
      const after = await wakeCounts(sources);
      if (!before || !after) return undefined;
      return { natsIn: after.natsIn - before.natsIn, natsOut: after.natsOut - before.natsOut, redisReads: after.redisReads - before.redisReads };
    },
  };
}

/**
 * NATS messages and Redis reads per granted hold over a level's window, above the idle rate (lease
 * renewals, heartbeats, polls: per second, not per hold, so they would make a slow run look chattier).
 */
export function printWakeUps(window: CpuWindow, counts: WakeCounts | undefined, idlePerSecond: WakeCounts | undefined): void {
  if (!counts) return;
  const holds = Math.max(1, window.holds);
  const seconds = (window.toUs - window.fromUs) / 1e6;
  const above = (key: keyof WakeCounts) => fmt(Math.max(0, counts[key] - (idlePerSecond?.[key] ?? 0) * seconds) / holds, 1);
  console.log(`  per hold, above idle: nats-server messages ${above("natsIn")} in, ${above("natsOut")} out; Redis reads ${above("redisReads")}`);
  console.log(
    `  (over the window: ${fmt(counts.natsIn)} in, ${fmt(counts.natsOut)} out, ${fmt(counts.redisReads)} Redis reads;` +
      ` idle a second: ${fmt(idlePerSecond?.natsIn ?? Number.NaN)} in, ${fmt(idlePerSecond?.natsOut ?? Number.NaN)} out, ${fmt(idlePerSecond?.redisReads ?? Number.NaN)} reads)`,
  );
}

/** What each process group spends a second with no load (timers, polls, leases): CPU milliseconds and context switches. */
export interface IdleRates {
  cpuMs: Map<string, number>;
  switches: Map<string, number>;
}

/** Measures the stack's idle CPU and context switches for `seconds`, to subtract them from a loaded window. */
export async function idleRates(pids: Map<string, number[]>, seconds: number): Promise<IdleRates> {
  const window = cpuWindow(pids);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const idle = window.end(0);
  const elapsed = (idle.toUs - idle.fromUs) / 1e6;
  const perSecond = (counts: Map<string, number>) => new Map([...counts].map(([name, n]) => [name, n / elapsed]));
  return { cpuMs: perSecond(idle.cpuMs), switches: perSecond(idle.switches) };
}

const CLIENT = "load client (this bench)";

/** Starts counting CPU and context switches for `pids` (and this client process); `end` closes the window. */
export function cpuWindow(pids: Map<string, number[]>) {
  const fromUs = monotonicUs();
  const client = process.cpuUsage();
  const sum = (list: readonly number[], count: (pid: number) => number) => list.reduce((total, pid) => total + count(pid), 0);
  const ticksBefore = new Map([...pids].map(([name, list]) => [name, sum(list, cpuTicks)]));
  // The client's own switches too: what driving the load cost it.
  const withClient: [string, readonly number[]][] = [...pids, [CLIENT, [process.pid]]];
  const switchesBefore = new Map(withClient.map(([name, list]) => [name, sum(list, contextSwitches)]));
  return {
    end(holds: number): CpuWindow {
      const toUs = monotonicUs();
      const cpuMs = new Map<string, number>();
      const switches = new Map<string, number>();
      for (const [name, list] of pids) cpuMs.set(name, (sum(list, cpuTicks) - (ticksBefore.get(name) ?? 0)) * TICK_MS);
      const used = process.cpuUsage(client);
      cpuMs.set(CLIENT, (used.user + used.system) / 1000);
      for (const [name, list] of withClient) switches.set(name, Math.max(0, sum(list, contextSwitches) - (switchesBefore.get(name) ?? 0)));
      return { fromUs, toUs, holds, cpuMs, switches };
    },
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "—");

/**
 * Each process's CPU over the window: share of one core, and µs per granted hold (or per `unit`)
 * above its idle rate; beside it, its context switches per hold above idle. On a small shared
 * machine a process's CPU per hold follows its wake-ups (at a few hundred holds a second the
 * stack cost ~1.6× what it cost at saturation, where each wake-up carries more holds).
 */
export function printCpu(level: string, window: CpuWindow, idle: IdleRates, unit = "hold"): void {
  const seconds = (window.toUs - window.fromUs) / 1e6;
  const holds = Math.max(1, window.holds);
  const perHold = (name: string, ms: number) => (Math.max(0, ms - (idle.cpuMs.get(name) ?? 0) * seconds) * 1000) / holds;
  const switchesPerHold = (name: string) => Math.max(0, (window.switches.get(name) ?? 0) - (idle.switches.get(name) ?? 0) * seconds) / holds;
  console.log(`\n  CPU during ${level} (${fmt(window.holds)} ${unit === "hold" ? "holds granted" : `× ${unit}`} in ${fmt(seconds, 1)} s; /proc, 10 ms ticks)`);
  console.log(`  process                     │ % of a core │ idle % │ µs CPU per ${unit} (above idle) │ context switches per ${unit}`);
  let total = 0;
  let totalPerHold = 0;
  let totalSwitches = 0;
  const row = (name: string, share: string, idleShare: string, us: number, switches: number) =>
    `  ${name.padEnd(27)} │ ${share.padStart(10)}${share ? "%" : " "} │ ${idleShare.padStart(5)}${idleShare ? "%" : " "} │ ${fmt(us).padStart(8)}${" ".repeat(unit.length + 14)}│ ${fmt(switches, 1).padStart(8)}`;
  for (const [name, ms] of [...window.cpuMs].sort((a, b) => perHold(b[0], b[1]) - perHold(a[0], a[1]))) {
    total += ms;
    totalPerHold += perHold(name, ms);
    totalSwitches += switchesPerHold(name);
    console.log(row(name, fmt(ms / 10 / seconds), fmt((idle.cpuMs.get(name) ?? 0) / 10), perHold(name, ms), switchesPerHold(name)));
  }
  console.log(row("all", fmt(total / 10 / seconds), "", totalPerHold, totalSwitches));
  // What a deployment pays: the load client's share is the buyers' machines' in real life.
  const client = window.cpuMs.get(CLIENT) ?? 0;
  console.log(row("stack (without the client)", fmt((total - client) / 10 / seconds), "", totalPerHold - perHold(CLIENT, client), totalSwitches - switchesPerHold(CLIENT)));
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

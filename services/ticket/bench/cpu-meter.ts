import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** CPU time of the whole machine (every core) and of chosen processes, over one measured run. */
export interface CpuUse {
  cores: number;
  /** Busy share of all cores together, 0–1: near 1 means the machine itself was the limit. */
  machine: number;
  /** Each process's CPU as a share of one core (1 = a core fully busy). */
  processes: Record<string, number | undefined>;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** utime + stime in ms from /proc (Linux; undefined elsewhere). Clock ticks are 100 Hz on Linux. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Starts measuring; the returned function ends the measurement. `self` is this process. */
export function startCpuMeter(pids: Record<string, number | undefined>): () => CpuUse {
  const machine0 = machineTimes();
  const self0 = process.cpuUsage();
  const procs0 = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const machine1 = machineTimes();
    const self = process.cpuUsage(self0);
    const processes: Record<string, number | undefined> = { self: (self.user + self.system) / 1000 / wallMs };
    for (const [name, pid] of Object.entries(pids)) {
      const before = procs0[name];
      const after = processCpuMs(pid);
      processes[name] = before === undefined || after === undefined ? undefined : (after - before) / wallMs;
    }
    const total = machine1.total - machine0.total;
    return { cores: cpus().length, machine: total > 0 ? (machine1.busy - machine0.busy) / total : 0, processes };
  };
}

const pct = (share: number | undefined) => (share === undefined ? "—" : `${Math.round(share * 100)}%`);

/** One line: "cpu: machine 97% of 2 cores busy; worker 99%, bench client 58% of a core". */
export function describeCpu(use: CpuUse, names: Record<string, string>): string {
  const parts = Object.entries(names).map(([key, label]) => `${label} ${pct(use.processes[key])}`);
  return `cpu: machine ${pct(use.machine)} of ${use.cores} cores busy; of one core: ${parts.join(", ")}`;
}

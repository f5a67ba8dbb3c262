import type { LoadReport } from "../k6/lib/report.js";
import { STEP_P99_MS } from "../k6/lib/rules.js";

/** One answer (or a failure to get one: status 0) of one step of the scenario. */
export interface Sample {
  step: string;
  status: number;
  ms: number;
  /** Seconds since the run started. */
  at: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Everything the Node runner measured, kept raw until the end (a few hundred thousand samples at most). */
export function createRecorder(startedAt = performance.now()) {
  const samples: Sample[] = [];
  const events: { kind: "grant" | "payment"; at: number }[] = [];
  const since = () => (performance.now() - startedAt) / 1000;
  return {
    since,
    record(step: string, status: number, ms: number): void {
      samples.push({ step, status, ms, at: since() - ms / 1000 });
    },
    mark(kind: "grant" | "payment"): void {
      events.push({ kind, at: since() });
    },
    /** Steps, statuses and the per-second timeline of the report. */
    summarize(p99Scale = 1): Pick<LoadReport, "requests" | "statuses" | "steps" | "timeline"> {
      const statuses: Record<string, number> = {};
      const byStep = new Map<string, number[]>();
      for (const s of samples) {
        const key = `${s.step} ${s.status || "no answer"}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        const values = byStep.get(s.step);
        if (values) values.push(s.ms);
        else byStep.set(s.step, [s.ms]);
      }
      const steps: LoadReport["steps"] = {};
      for (const [step, values] of byStep) {
        const sorted = values.sort((a, b) => a - b);
        steps[step] = {
          count: sorted.length,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted.at(-1) ?? Number.NaN,
          ...(STEP_P99_MS[step] ? { thresholdMs: STEP_P99_MS[step] * p99Scale } : {}),
        };
      }
      return { requests: samples.length, statuses, steps, timeline: timelineOf(samples, events) };
    },
  };
}
export type Recorder = ReturnType<typeof createRecorder>;

function timelineOf(samples: Sample[], events: { kind: string; at: number }[]): LoadReport["timeline"] {
  const last = Math.ceil(Math.max(0, ...samples.map((s) => s.at), ...events.map((e) => e.at)));
  const timeline = Array.from({ length: last + 1 }, (_, t) => ({ t, grants: 0, payments: 0, requests: 0, limited: 0, holds: [] as number[] }));
  for (const s of samples) {
    const bucket = timeline[Math.max(0, Math.floor(s.at))]!;
    bucket.requests++;
    if (s.status === 429) bucket.limited++;
    if (s.step === "hold") bucket.holds.push(s.ms);
  }
  for (const e of events) {
    const bucket = timeline[Math.max(0, Math.floor(e.at))]!;
    if (e.kind === "grant") bucket.grants++;
    else bucket.payments++;
  }
  return timeline.map(({ holds, ...rest }) => {
    const sorted = holds.sort((a, b) => a - b);
    return { ...rest, holdP50: sorted.length ? percentile(sorted, 50) : null, holdP99: sorted.length ? percentile(sorted, 99) : null };
  });
}

/**
 * Where a hold's milliseconds go, from the services' own Prometheus histograms over one bench
 * level: the gate's `gate_seat_command_seconds{kind="hold"}` (command sent → engine's answer,
 * inside the gate) and the ticket workers' `seat_hold_latency_seconds` (the gate handler's `now`,
 * stamped on the command → the actor's reply). Set beside the client's own figure, the rest is the gate before the send
 * (auth, limits, the Redis script) and after the answer (grant record, serialising, the socket).
 */
import { EVENT_LOOP_SAMPLE_MS } from "@rush/service";

export interface HistogramCounts {
  count: number;
  sum: number;
  /** Cumulative counts by upper bound (seconds), `+Inf` last. */
  buckets: [number, number][];
}

/** Sums one histogram (with the label filter) over Prometheus text from several processes. */
export function parseHistogram(texts: string[], name: string, labels: Record<string, string> = {}): HistogramCounts {
  const counts: HistogramCounts = { count: 0, sum: 0, buckets: [] };
  const byBound = new Map<number, number>();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (!line.startsWith(name) || !wanted.every((w) => line.includes(w))) continue;
      const value = Number(line.slice(line.lastIndexOf(" ") + 1));
      if (line.startsWith(`${name}_count`)) counts.count += value;
      else if (line.startsWith(`${name}_sum`)) counts.sum += value;
      else if (line.startsWith(`${name}_bucket`)) {
        const le = /le="([^"]+)"/.exec(line)?.[1];
        if (le === undefined) continue;
        const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
        byBound.set(bound, (byBound.get(bound) ?? 0) + value);
      }
    }
  }
  counts.buckets = [...byBound].sort((a, b) => a[0] - b[0]);
  return counts;
}

/** Every sample of a counter or gauge (any label set) in Prometheus text from several processes; nothing of a longer name. */
function* samples(texts: string[], name: string): Generator<number> {
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) yield Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
}

/** Sums a counter (every label set) over Prometheus text from several processes. */
export function sumCounter(texts: string[], name: string): number {
  let total = 0;
  for (const value of samples(texts, name)) total += value;
  return total;
}

export function minus(after: HistogramCounts, before: HistogramCounts): HistogramCounts {
  const earlier = new Map(before.buckets);
  return {
    count: after.count - before.count,
    sum: after.sum - before.sum,
    buckets: after.buckets.map(([bound, n]) => [bound, n - (earlier.get(bound) ?? 0)]),
  };
}

/** The upper bound of the bucket holding quantile `q`: "p99 ≤ this" (seconds). */
export function quantileBound(counts: HistogramCounts, q: number): number {
  const target = q * counts.count;
  for (const [bound, n] of counts.buckets) if (n >= target && n > 0) return bound;
  return Number.NaN;
}

export interface Split {
  label: string;
  counts: HistogramCounts;
}

const ms = (seconds: number) => (Number.isFinite(seconds) ? `${(seconds * 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })}` : "—");

/** Lines for the report: mean and bucketed p50/p99 of each histogram, in milliseconds. */
export function splitLines(splits: Split[]): string[] {
  return splits.map(({ label, counts }) => {
    const mean = counts.count > 0 ? counts.sum / counts.count : Number.NaN;
    return `  ${label.padEnd(36)} mean ${ms(mean).padStart(6)} ms   p50 ≤ ${ms(quantileBound(counts, 0.5)).padStart(5)} ms   p99 ≤ ${ms(quantileBound(counts, 0.99)).padStart(5)} ms   (${counts.count.toLocaleString("en-US")})`;
  });
}

async function scrape(urls: string[]): Promise<string[]> {
  return Promise.all(
    urls.map((url) => fetch(url, { signal: AbortSignal.timeout(3_000) }).then((res) => (res.ok ? res.text() : "")).catch(() => "")),
  );
}

/** A gauge's largest value over Prometheus text from several processes (NaN when none has it). */
export function maxGauge(texts: string[], name: string): number {
  const values = [...samples(texts, name)];
  return values.length > 0 ? Math.max(...values) : Number.NaN;
}

/**
 * What stopped a service's event loops during a window: GC time summed over its processes (the
 * gate's primary sums its workers', the ticket workers are scraped each), and the longest lag any
 * of them saw.
 */
export interface Pauses {
  process: string;
  gcSeconds: number;
  gcCount: number;
  /** Mark-compact (V8's "major"): the long pauses, where scavenges ("minor") are many short ones. */
  majorSeconds: number;
  majorCount: number;
  /**
   * prom-client's `nodejs_eventloop_lag_max_seconds`: reset at every scrape, so the window's own.
   * It is the longest gap between two ticks of a timer set every EVENT_LOOP_SAMPLE_MS, so an idle
   * process reads that interval, not zero.
   */
  lagMaxSeconds: number;
}

/** The longest stall in a window: the lag gauge less the sampling timer's own interval. */
export const stallOf = (lagMaxSeconds: number): number => Math.max(0, lagMaxSeconds - EVENT_LOOP_SAMPLE_MS / 1000);

export function pauseLines(pauses: Pauses[], seconds: number): string[] {
  return pauses.map(
    ({ process, gcSeconds, gcCount, majorSeconds, majorCount, lagMaxSeconds }) =>
      `  ${process.padEnd(10)} GC ${ms(gcSeconds).padStart(6)} ms in ${gcCount.toLocaleString("en-US")} pauses (${((gcSeconds / seconds) * 100).toFixed(1)}% of the window, its processes summed; mark-compact ${ms(majorSeconds)} ms in ${majorCount})   longest event-loop stall ${ms(stallOf(lagMaxSeconds))} ms`,
  );
}

/** Starts a window over the gate's and the ticket workers' hold histograms; `end` gives the splits. */
export async function latencyWindow(sources: { gateMetricsUrl: string; ticketMetricsUrls: string[] }) {
  const read = async () => {
    const [gate, ...tickets] = await scrape([sources.gateMetricsUrl, ...sources.ticketMetricsUrls]);
    const gc = (texts: string[]) => ({
      all: parseHistogram(texts, "nodejs_gc_duration_seconds"),
      major: parseHistogram(texts, "nodejs_gc_duration_seconds", { kind: "major" }),
    });
    return {
      gate: parseHistogram([gate ?? ""], "gate_seat_command_seconds", { kind: "hold" }),
      engine: parseHistogram(tickets, "seat_hold_latency_seconds"),
      delivery: parseHistogram(tickets, "seat_hold_delivery_seconds"),
      stored: parseHistogram(tickets, "seat_hold_stored_seconds"),
      queued: parseHistogram(tickets, "seat_hold_queued_seconds"),
      renewals: sumCounter(tickets, "seat_command_consumer_renewals_total"),
      gc: { gate: gc([gate ?? ""]), ticket: gc(tickets) },
      lag: { gate: maxGauge([gate ?? ""], "nodejs_eventloop_lag_max_seconds"), ticket: maxGauge(tickets, "nodejs_eventloop_lag_max_seconds") },
    };
  };
  const before = await read();
  const startedAt = performance.now();
  return {
    /** The splits, and how many command consumers the workers replaced meanwhile (each a pause of its partition). */
    async end(): Promise<{ splits: Split[]; renewals: number; pauses: Pauses[]; seconds: number }> {
      const after = await read();
      const seconds = (performance.now() - startedAt) / 1000;
      const pauses = (["gate", "ticket"] as const).map((process) => {
        const gc = minus(after.gc[process].all, before.gc[process].all);
        const major = minus(after.gc[process].major, before.gc[process].major);
        return { process, gcSeconds: gc.sum, gcCount: gc.count, majorSeconds: major.sum, majorCount: major.count, lagMaxSeconds: after.lag[process] };
      });
      return {
        splits: [
          { label: "gate: command sent → answer back", counts: minus(after.gate, before.gate) },
          { label: "handler's stamp → actor's reply", counts: minus(after.engine, before.engine) },
          { label: "  of which stamp → worker has it", counts: minus(after.delivery, before.delivery) },
          { label: "    of which stamp → in the stream", counts: minus(after.stored, before.stored) },
          { label: "  of which waits for the actor's turn", counts: minus(after.queued, before.queued) },
        ],
        renewals: after.renewals - before.renewals,
        pauses,
        seconds,
      };
    },
  };
}

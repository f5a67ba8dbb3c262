/**
 * Where a hold's milliseconds go, from the services' own Prometheus histograms over one bench
 * level: the gate's `gate_seat_command_seconds{kind="hold"}` (command sent → engine's answer,
 * inside the gate) and the ticket workers' `seat_hold_latency_seconds` (the gate handler's `now`,
 * stamped on the command → the actor's reply). Set beside the client's own figure, the rest is the gate before the send
 * (auth, limits, the Redis script) and after the answer (grant record, serialising, the socket).
 */

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

/** Sums a counter (every label set) over Prometheus text from several processes. */
export function sumCounter(texts: string[], name: string): number {
  let total = 0;
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
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

/** Starts a window over the gate's and the ticket workers' hold histograms; `end` gives the splits. */
export async function latencyWindow(sources: { gateMetricsUrl: string; ticketMetricsUrls: string[] }) {
  const read = async () => {
    const [gate, ...tickets] = await scrape([sources.gateMetricsUrl, ...sources.ticketMetricsUrls]);
    return {
      gate: parseHistogram([gate ?? ""], "gate_seat_command_seconds", { kind: "hold" }),
      engine: parseHistogram(tickets, "seat_hold_latency_seconds"),
      renewals: sumCounter(tickets, "seat_command_consumer_renewals_total"),
    };
  };
  const before = await read();
  return {
    /** The splits, and how many command consumers the workers replaced meanwhile (each a pause of its partition). */
    async end(): Promise<{ splits: Split[]; renewals: number }> {
      const after = await read();
      return {
        splits: [
          { label: "gate: command sent → answer back", counts: minus(after.gate, before.gate) },
          { label: "handler's stamp → actor's reply", counts: minus(after.engine, before.engine) },
        ],
        renewals: after.renewals - before.renewals,
      };
    },
  };
}

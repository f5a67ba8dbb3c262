/**
 * The bench's HTTP client: keep-alive connections from many loopback source addresses
 * (127.0.0.2–127.0.0.250), so per-IP rate limits stay on and are not what is measured; a
 * request takes whichever connection has been idle longest.
 */
import { Agent, request } from "node:http";

export interface Figure {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers by status code. */
  statuses: Map<number, number>;
  /** Milliseconds the level ran. */
  elapsedMs: number;
}

export interface Call {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** An answer as the bench reads it; `serverTiming`: its `Server-Timing` header, when it has one. */
export interface Answer {
  status: number;
  body: string;
  serverTiming?: string;
}

export interface Client {
  post(call: Call): Promise<Answer>;
  close(): void;
}

export function createClient(baseUrl: string, addresses = 249): Client {
  const url = new URL(baseUrl);
  const agents = Array.from({ length: addresses }, (_, i) => new Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.0.0.${i + 2}` }));
  const idle = agents.map((_, i) => i);
  let cursor = 0;
  return {
    post({ path, headers, body }) {
      // More requests in flight than addresses: share round-robin.
      const index = idle.length > 0 ? idle.shift()! : cursor++ % agents.length;
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method: "POST",
            agent: agents[index],
            headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              text += chunk;
            });
            res.on("end", () => {
              idle.push(index);
              const header = res.headers["server-timing"];
              const timing = Array.isArray(header) ? header.join(", ") : header;
              resolve({ status: res.statusCode ?? 0, body: text, ...(timing ? { serverTiming: timing } : {}) });
            });
          },
        );
        req.on("error", (error) => {
          idle.push(index);
          reject(error);
        });
        req.end(body);
      });
    },
    close() {
      for (const agent of agents) agent.destroy();
    },
  };
}

/** The `dur` of each metric of a `Server-Timing` header, in its order ("-" where a metric has none). */
export const durationsOf = (header: string): string[] =>
  // Negative too: the engine's hops are differences of three processes' wall clocks, in whole milliseconds.
  header.split(",").map((metric) => /;\s*dur=(-?[\d.]+)/.exec(metric)?.[1] ?? "-");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/**
 * Keeps `concurrency` calls in flight until `max` are done or `seconds` pass (or, with `rate`,
 * starts them at that many per second, open-loop, to measure latency at a given load). With
 * `trace`, each call adds "<start, epoch ms> <latency ms> <status>" to it, and the durations of
 * the answer's `Server-Timing` metrics after them if it has any: which moments were slow, and where
 * inside the gate they waited, to set beside what the processes did then.
 */
export async function drive(
  client: Client,
  options: { concurrency: number; seconds: number; max: number; rate?: number; trace?: string[] },
  next: (i: number) => Call,
): Promise<Figure> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let issued = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const one = async (i: number) => {
    const t0 = performance.now();
    let status = 0;
    let serverTiming: string | undefined;
    try {
      ({ status, serverTiming } = await client.post(next(i)));
    } catch {
      status = -1;
    }
    const latency = performance.now() - t0;
    latencies.push(latency);
    const timings = serverTiming ? ` ${durationsOf(serverTiming).join(" ")}` : "";
    options.trace?.push(`${(performance.timeOrigin + t0).toFixed(1)} ${latency.toFixed(1)} ${status}${timings}`);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };
  const rate = options.rate;
  if (rate) {
    const inFlight = new Set<Promise<void>>();
    while (issued < options.max && performance.now() < deadline) {
      const due = started + (issued / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = one(issued++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (issued < options.max && performance.now() < deadline) await one(issued++);
      }),
    );
  }
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, perSecond: latencies.length / (elapsedMs / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, elapsedMs };
}

import { assertLoopback } from "./loopback.ts";

/** The k6 scenario of `k6/flash-sale.js`, in Node: sign up, queue, wait for admission, hold best N. */
export interface FlashSaleOptions {
  baseUrl: string;
  sessionId: string;
  areaId: string;
  buyers: number;
  concurrency: number;
  /** Hard stop for the whole run. */
  maxDurationMs: number;
  runId?: string;
  /** How long one buyer waits in the queue before giving up. */
  maxQueueWaitMs?: number;
}

export interface FlashSaleSummary {
  buyers: number;
  elapsedMs: number;
  statuses: Record<string, number>;
  granted: number;
  refused: number;
  pending: number;
  serverErrors: number;
  /** Seats granted to two holds (must be empty). */
  doubleGranted: string[];
  seatsGranted: number;
  holdLatencyMs: { p50: number; p99: number; max: number };
  holdsPerSecond: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function runFlashSale(options: FlashSaleOptions): Promise<FlashSaleSummary> {
  const base = assertLoopback(options.baseUrl).toString().replace(/\/$/, "");
  const runId = options.runId ?? Date.now().toString(36);
  const deadline = Date.now() + options.maxDurationMs;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const seatOwner = new Map<string, string>();
  const doubleGranted: string[] = [];
  let granted = 0;
  let refused = 0;
  let pending = 0;
  let serverErrors = 0;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
    });
    const key = `${method} ${path.replace(/[0-9a-f-]{36}/g, ":id")} ${res.status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (res.status >= 500) serverErrors++;
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const buyer = async (n: number) => {
    const email = `node-${runId}-${n}@example.com`;
    const password = "flash-sale-password";
    await call("POST", "/v1/auth/register", { email, password, displayName: `Buyer ${n}` });
    const login = await call("POST", "/v1/auth/login", { email, password });
    if (login.status !== 200) return;
    const auth = { authorization: `Bearer ${login.body.accessToken as string}` };
    let queue = await call("POST", `/v1/sessions/${options.sessionId}/queue`, undefined, auth);
    const queueDeadline = Math.min(deadline, Date.now() + (options.maxQueueWaitMs ?? 60_000));
    while (queue.status === 200 && !queue.body.admitted && Date.now() < queueDeadline) {
      await new Promise((r) => setTimeout(r, 500));
      queue = await call("GET", `/v1/sessions/${options.sessionId}/queue`, undefined, auth);
    }
    const admission = queue.body.admissionToken as string | undefined;
    const started = performance.now();
    const hold = await call(
      "POST",
      `/v1/sessions/${options.sessionId}/holds`,
      { areaId: options.areaId, quantity: 1 + (n % 4) },
      { ...auth, "idempotency-key": `node-${runId}-${n}`, ...(admission ? { "x-admission-token": admission } : {}) },
    );
    latencies.push(performance.now() - started);
    if (hold.status === 201) {
      granted++;
      for (const seat of hold.body.seats as { id: string }[]) {
        const other = seatOwner.get(seat.id);
        if (other && other !== hold.body.holdId) doubleGranted.push(seat.id);
        seatOwner.set(seat.id, hold.body.holdId as string);
      }
    } else if (hold.status === 409) refused++;
    else if (hold.status === 202) pending++;
  };

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.buyers) }, async () => {
      while (next < options.buyers && Date.now() < deadline) {
        const n = next++;
        await buyer(n).catch(() => {
          statuses.error = (statuses.error ?? 0) + 1;
        });
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    buyers: next,
    elapsedMs,
    statuses,
    granted,
    refused,
    pending,
    serverErrors,
    doubleGranted,
    seatsGranted: seatOwner.size,
    holdLatencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
    holdsPerSecond: latencies.length / (elapsedMs / 1000),
  };
}

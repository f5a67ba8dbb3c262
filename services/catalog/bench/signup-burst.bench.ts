/**
 * `pnpm bench signup-burst`: SIGNUP_FLOWS (20) sign-up + login flows at once from one client
 * address, through the gate of the whole started stack (`./scripts/start` in `DATA_DIR`, default
 * .data/bench, with `PORT_OFFSET`; rate limits and production scrypt cost on). Hashing is bounded
 * (a few per second per catalog), so the bar is about fairness and bounds, not speed: every
 * answer within 5 s, or a 503 with Retry-After the client can act on; never another 5xx.
 * Prints each answer's code and latency; exits 1 when the bar is missed.
 */
import { randomUUID } from "node:crypto";
import { startStack } from "../../gate/bench/http-stack.ts";

const FLOWS = Number(process.env.SIGNUP_FLOWS ?? 20);
const BOUND_MS = 5_000;
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);

interface Answer {
  step: "register" | "login";
  status: number;
  retryAfter: string | null;
  ms: number;
}

async function post(url: string, body: unknown, step: Answer["step"]): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return { step, status: res.status, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started };
  } catch {
    return { step, status: 0, retryAfter: null, ms: performance.now() - started };
  }
}

async function main() {
  console.log(`signup-burst bench: whole stack (./scripts/start, PORT_OFFSET=${PORT_OFFSET}), ${FLOWS} sign-up + login flows at once from one address`);
  const stack = await startStack({ portOffset: PORT_OFFSET, dataDir: process.env.DATA_DIR ?? ".data/bench", log: (l) => console.log(`  | ${l}`) });
  try {
    const run = randomUUID().slice(0, 8);
    const started = performance.now();
    const flows = await Promise.all(
      Array.from({ length: FLOWS }, async (_, i) => {
        const account = { email: `burst-${run}-${i}@example.com`, password: "burst-password-123" };
        const registered = await post(`${stack.gateUrl}/v1/auth/register`, { ...account, displayName: "Burst" }, "register");
        if (registered.status !== 201) return [registered];
        return [registered, await post(`${stack.gateUrl}/v1/auth/login`, account, "login")];
      }),
    );
    const wall = performance.now() - started;
    const answers = flows.flat();
    const byCode = new Map<string, number>();
    for (const a of answers) byCode.set(`${a.step} ${a.status}`, (byCode.get(`${a.step} ${a.status}`) ?? 0) + 1);
    const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
    const bad = answers.filter((a) => (a.status === 503 ? a.retryAfter === null : a.status >= 500 || a.status === 0 || a.ms > BOUND_MS));
    console.log(`\n  ${answers.length} answers in ${(wall / 1000).toFixed(1)} s: ${[...byCode].sort().map(([k, n]) => `${k}×${n}`).join(", ")}`);
    console.log(`  latency p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms; flows completed ${flows.filter((f) => f.at(-1)?.status === 200).length}/${FLOWS}`);
    console.log(`  answers over ${BOUND_MS / 1000} s without a 503 + Retry-After, or 5xx: ${bad.length}`);
    if (bad.length > 0) {
      for (const a of bad) console.log(`    ${a.step} ${a.status} in ${a.ms.toFixed(0)} ms${a.retryAfter ? ` (Retry-After ${a.retryAfter})` : ""}`);
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}

await main();

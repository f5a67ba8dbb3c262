/**
 * `pnpm bench pay-now`: holds paid the moment they are granted, on the whole started stack
 * (`./scripts/start` in `DATA_DIR`, default .data/bench, with `PORT_OFFSET`, rate limits on).
 * Holds start open-loop at PAY_NOW_RATE per second (200) for PAY_NOW_SECONDS (5), one new buyer
 * each, best-available 2 seats; each 201 is followed at once by `POST /v1/orders/:id/pay` with the
 * mock provider, asked again after a 503/429 (as the API says) until it is answered or 30 s pass.
 * The order a hold names is written downstream of the grant, so this is the read-your-writes
 * case: it prints the first and the final answer of every pay and fails (exit 1) on any 404.
 */
import { randomUUID } from "node:crypto";
import { type Client, createClient } from "../../gate/bench/http-client.ts";
import { openSession, seedBuyers, startStack } from "../../gate/bench/http-stack.ts";

const RATE = Number(process.env.PAY_NOW_RATE ?? 200);
const SECONDS = Number(process.env.PAY_NOW_SECONDS ?? 5);
const PAY_DEADLINE_MS = 30_000;
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);
const AREAS = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(2, "0")}`);

const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const show = (map: Map<string, number>) => [...map].sort().map(([k, n]) => `${k}×${n}`).join(" ") || "—";
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const codeOf = (status: number, body: string) => {
  if (status < 400) return String(status);
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === "string" ? `${status} ${code}` : String(status);
  } catch {
    return String(status);
  }
};

async function payUntilAnswered(client: Client, token: string, orderId: string, first: Map<string, number>): Promise<{ code: string; ms: number }> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    let code: string;
    try {
      const answer = await client.post({ path: `/v1/orders/${orderId}/pay`, headers: { authorization: `Bearer ${token}`, accept: "application/json" }, body: '{"provider":"mock"}' });
      code = codeOf(answer.status, answer.body);
    } catch {
      code = "no answer";
    }
    if (attempt === 0) tally(first, code);
    const retry = code.startsWith("503") || code.startsWith("429") || code === "no answer";
    if (!retry || performance.now() - started > PAY_DEADLINE_MS) return { code, ms: performance.now() - started };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function main() {
  console.log(`pay-now bench: whole stack (./scripts/start, PORT_OFFSET=${PORT_OFFSET}), holds at ${RATE}/s for ${SECONDS} s, each paid the moment it is granted`);
  const stack = await startStack({ portOffset: PORT_OFFSET, dataDir: process.env.DATA_DIR ?? ".data/bench", log: (l) => console.log(`  | ${l}`) });
  const client = createClient(stack.gateUrl);
  try {
    const total = Math.round(RATE * SECONDS);
    const tokens = await seedBuyers(stack.databaseUrl, total);
    const sessionId = await openSession(stack);
    const holds = new Map<string, number>();
    const firstPay = new Map<string, number>();
    const finalPay = new Map<string, number>();
    const payMs: number[] = [];
    const started = performance.now();
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i / RATE) * 1000 - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const token = tokens[i]!;
      tasks.push(
        (async () => {
          let answer: { status: number; body: string };
          try {
            answer = await client.post({
              path: `/v1/sessions/${sessionId}/holds`,
              headers: { authorization: `Bearer ${token}`, "idempotency-key": randomUUID(), accept: "application/json" },
              body: JSON.stringify({ areaId: AREAS[i % AREAS.length], quantity: 2 }),
            });
          } catch {
            tally(holds, "no answer");
            return;
          }
          tally(holds, codeOf(answer.status, answer.body));
          if (answer.status !== 201) return;
          const { orderId } = JSON.parse(answer.body) as { orderId: string };
          const paid = await payUntilAnswered(client, token, orderId, firstPay);
          tally(finalPay, paid.code);
          payMs.push(paid.ms);
        })(),
      );
    }
    const issuedIn = (performance.now() - started) / 1000;
    await Promise.all(tasks);
    const granted = holds.get("201") ?? 0;
    payMs.sort((a, b) => a - b);
    const notFound = [...firstPay, ...finalPay].filter(([code]) => code.startsWith("404")).reduce((n, [, c]) => n + c, 0);
    console.log(`\n  holds asked ${total} in ${issuedIn.toFixed(1)} s (${(total / issuedIn).toFixed(0)}/s): ${show(holds)}`);
    console.log(`  pays, first answer: ${show(firstPay)}`);
    console.log(`  pays, final answer: ${show(finalPay)}`);
    console.log(`  pay until answered p50/p99: ${percentile(payMs, 50).toFixed(0)}/${percentile(payMs, 99).toFixed(0)} ms; ${granted} holds granted, ${finalPay.get("200") ?? 0} paid`);
    console.log(`  404 on pay: ${notFound}`);
    if (notFound > 0 || granted === 0) process.exitCode = 1;
  } finally {
    client.close();
    await stack.stop();
  }
}

await main();

import { POW_CHALLENGE_HEADER, POW_NONCE_HEADER } from "@rush/contracts";
import type { PowSolver } from "./proof-of-work.ts";
import type { SeededBuyer } from "./seed.ts";
import type { Answer, Client } from "./http-client.ts";
import type { Recorder } from "./recorder.ts";

/** The shape of one sale, shared by every buyer of a run. */
export interface SaleShape {
  sessionId: string;
  runId: string;
  /** Seat ids per area from the seat map at the start; the first areas are the most wanted. */
  areas: { id: string; seatIds: string[] }[];
  /** Share of holds asking for explicit seats (the rest: best available). */
  explicitShare: number;
  /** Share of granted holds that are paid (the rest are released or left to expire). */
  payShare: number;
  /** Holds asked again after a 409, with other seats. */
  retriesAfter409: number;
  /** Absolute time (performance.now()) after which a buyer stops. */
  deadline: number;
}

export interface BuyerOutcome {
  granted?: { holdId: string; orderId: string; seatIds: string[] };
  paid: boolean;
  /** Let go of by the buyer: its seats may go to someone else afterwards. */
  released: boolean;
  refused: number;
  pending: number;
  /** Answered 428: asked to solve a proof of work before joining the waiting room. */
  challenged: boolean;
  /** Its solution was accepted. */
  solved: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The waiting room is asked every 3 s, as the web app asks it (its socket's `queue` event
 * usually comes first; the runner has no socket, so it asks sooner when the gate expects the
 * wait to end sooner). Asking every second, as the runner did, tripled the gate's load from
 * waiting buyers in a 2,000-buyer burst.
 */
const QUEUE_POLL_MS = 3000;
/** A 429 in the waiting room is asked again after its Retry-After, a few times, then the buyer gives up. */
const QUEUE_429_RETRIES = 3;
export const pollDelayMs = (estimatedWaitSeconds: unknown) => {
  const wait = Number(estimatedWaitSeconds);
  const base = Number.isFinite(wait) && wait >= 0 ? Math.min(QUEUE_POLL_MS, Math.max(500, wait * 1000)) : QUEUE_POLL_MS;
  return base * (0.9 + Math.random() * 0.2);
};
/** Demand leans towards the first areas (index ~ r²): the best sections sell out first. */
const wantedArea = (shape: SaleShape) => shape.areas[Math.floor(Math.random() ** 2 * shape.areas.length)]!;

function holdBody(shape: SaleShape, quantity: number, explicit: boolean) {
  const area = wantedArea(shape);
  if (!explicit || area.seatIds.length < quantity) return { areaId: area.id, quantity };
  // Adjacent seats as a buyer clicks them: a run of the seat map's order.
  const start = Math.floor(Math.random() * (area.seatIds.length - quantity + 1));
  return { seatIds: area.seatIds.slice(start, start + quantity) };
}

/**
 * One buyer's flash sale: join the waiting room, wait to be admitted, hold seats (explicit or
 * best available, again after a 409), pay most holds with the mock provider and wait for the
 * order to complete. Every answer is recorded; what matters for the verdict is returned.
 */
export const newOutcome = (): BuyerOutcome => ({ paid: false, released: false, refused: 0, pending: 0, challenged: false, solved: false });

/** Fills `outcome` as the buyer goes, so a request that never gets an answer loses nothing already learned. */
export async function runBuyer(
  n: number,
  buyer: SeededBuyer,
  client: Client,
  recorder: Recorder,
  shape: SaleShape,
  solver: PowSolver,
  outcome: BuyerOutcome = newOutcome(),
): Promise<BuyerOutcome> {
  const auth = { authorization: `Bearer ${buyer.token}` };
  const queuePath = `/v1/sessions/${shape.sessionId}/queue`;
  const live = () => performance.now() < shape.deadline;

  const join = async () => {
    let answer = await client.call("queue_join", "POST", queuePath, { headers: auth });
    const challenge = answer.body.challenge as { token?: string; difficulty?: number } | undefined;
    if (answer.status !== 428 || !challenge?.token || !live()) return answer;
    // As the web app's waiting room does: solve the proof of work, join again with it.
    outcome.challenged = true;
    const nonce = await solver.solve(challenge.token, Number(challenge.difficulty), shape.deadline);
    if (nonce === undefined) return answer;
    answer = await client.call("queue_join", "POST", queuePath, { headers: { ...auth, [POW_CHALLENGE_HEADER]: challenge.token, [POW_NONCE_HEADER]: nonce } });
    if (answer.status === 200) outcome.solved = true;
    return answer;
  };
  const poll = async () => {
    const answer = await client.call("queue_poll", "GET", queuePath, { headers: auth });
    return answer.status === 404 ? join() : answer; // our place lapsed: join again, as the browser does
  };
  let queue = await join();
  let joined = false;
  for (let limited = 0; live(); ) {
    if (queue.status === 429 && limited++ < QUEUE_429_RETRIES) {
      await sleep(1000 * Number(queue.headers["retry-after"] ?? 1));
      queue = await (joined ? poll() : join());
      continue;
    }
    if (queue.status !== 200 || queue.body.admitted) break;
    joined = true;
    await sleep(pollDelayMs(queue.body.estimatedWaitSeconds));
    queue = await poll();
  }
  if (queue.status !== 200 || !queue.body.admitted) return outcome;
  const admission = queue.body.admissionToken as string | undefined;

  const quantity = 1 + (n % 4);
  for (let attempt = 0; attempt <= shape.retriesAfter409 && live(); attempt++) {
    const explicit = attempt === 0 && Math.random() < shape.explicitShare;
    let hold = await client.call("hold", "POST", `/v1/sessions/${shape.sessionId}/holds`, {
      body: holdBody(shape, quantity, explicit),
      headers: { ...auth, "idempotency-key": `lt-${shape.runId}-${n}-${attempt}`, ...(admission ? { "x-admission-token": admission } : {}) },
    });
    if (hold.status === 202) {
      outcome.pending++;
      hold = await awaitCommand(client, auth, String(hold.body.commandId), shape.deadline);
    }
    if (hold.status === 201) {
      recorder.mark("grant");
      const seats = (hold.body.seats as { id: string }[]).map((s) => s.id);
      outcome.granted = { holdId: String(hold.body.holdId), orderId: String(hold.body.orderId), seatIds: seats };
      break;
    }
    if (hold.status === 429) {
      await sleep(1000 * Number(hold.headers["retry-after"] ?? 1));
      continue;
    }
    if (hold.status !== 409 || String(hold.body.type).endsWith("too_many_holds")) return outcome;
    outcome.refused++;
    await sleep(100 + Math.random() * 300);
  }
  if (!outcome.granted) return outcome;

  if (Math.random() >= shape.payShare) {
    // Some buyers change their mind: half let go of the seats, half let the hold run out.
    if (Math.random() < 0.5) {
      outcome.released = true;
      await client.call("release", "DELETE", `/v1/holds/${outcome.granted.holdId}`, { headers: auth });
    }
    return outcome;
  }
  const payPath = `/v1/orders/${outcome.granted.orderId}/pay`;
  let pay = await client.call("pay", "POST", payPath, { body: { provider: "mock" }, headers: auth });
  // The order a hold names may not be readable yet (read-your-writes, issue 13): a 404 is
  // counted in the report and asked again, as the web app does.
  for (let i = 0; pay.status === 404 && i < 10 && live(); i++) {
    await sleep(500);
    pay = await client.call("pay", "POST", payPath, { body: { provider: "mock" }, headers: auth });
  }
  if (pay.status !== 200) return outcome;
  let status = String(pay.body.status);
  while (status !== "completed" && ["created", "payment_pending"].includes(status) && live()) {
    await sleep(500);
    const order = await client.call("order_poll", "GET", `/v1/orders/${outcome.granted.orderId}`, { headers: auth });
    if (order.status !== 200) break;
    status = String(order.body.status);
  }
  if (status === "completed") {
    outcome.paid = true;
    recorder.mark("payment");
  }
  return outcome;
}

/** A 202's command, asked after until it is done: its result stands in for the hold's answer. */
async function awaitCommand(client: Client, auth: Record<string, string>, commandId: string, deadline: number): Promise<Answer> {
  while (performance.now() < deadline) {
    await sleep(250);
    const answer = await client.call("command_poll", "GET", `/v1/commands/${commandId}`, { headers: auth });
    if (answer.status !== 200) return answer;
    const result = answer.body.result as { statusCode: number; body?: Record<string, unknown> } | undefined;
    if (answer.body.status === "done" && result) return { status: result.statusCode, body: result.body ?? {}, headers: {} };
  }
  return { status: 0, body: {}, headers: {} };
}

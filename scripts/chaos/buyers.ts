import { randomUUID } from "node:crypto";
import { type Answer, type Api, sleep } from "./client.ts";
import { AREAS, HOLD_TTL_SECONDS } from "./setup.ts";

const HOLD_TTL_MS = HOLD_TTL_SECONDS * 1000;

/** What the buyers saw, per second of the run. */
export interface Tally {
  startedAt: number;
  grants: number[];
  /** Answer codes of holds and pays: `hold 201`, `pay 404`, `hold 409 too_many_holds`, … */
  codes: Map<string, number>;
  grantTimes: number[];
  /** When a buyer with no live hold was refused for too many holds. */
  phantomRefusals: number[];
  soldOut: boolean;
}

export const newTally = (): Tally => ({ startedAt: Date.now(), grants: [], codes: new Map(), grantTimes: [], phantomRefusals: [], soldOut: false });

const count = (tally: Tally, key: string) => tally.codes.set(key, (tally.codes.get(key) ?? 0) + 1);

/**
 * One buyer, until `until` or the sale is over: hold 1–2 best-available seats and pay for each
 * hold in the background (retrying what the API says to retry; giving the hold back if paying
 * fails for good), so paying never slows the holds that measure recovery. The buyer keeps at
 * most as many live holds as the gate allows (`max` of its `too_many_holds`), and counts a
 * `too_many_holds` that comes while it has fewer: a refusal for holds it does not have.
 */
/** How long after a pay answer the gate may still count the paid hold as live. */
const SETTLE_LAG_MS = 3_000;
/**
 * The least time between one buyer's hold commands: the gate's default hold budget is 10 per
 * 10 s per buyer (holds and releases). A buyer asking faster spends it within seconds of a fault
 * and is then answered 429 for the rest of the window, so "first grant after" measured the
 * buyers' own rate limit (7–12 s after a nats-server restart) instead of the stack's recovery.
 */
const HOLD_EVERY_MS = Number(process.env.CHAOS_HOLD_EVERY_MS ?? 1_100);

export async function buyer(api: Api, token: string, sessionId: string, tally: Tally, until: () => boolean): Promise<void> {
  // Buyers start spread over one interval, so the run asks at an even pace, not in waves.
  await sleep(Math.random() * HOLD_EVERY_MS);
  let nextHoldAt = 0;
  let misses = 0;
  let live = 0;
  let uncertain = 0;
  let cap = 2;
  const paying = new Set<Promise<void>>();
  while (!until() && !tally.soldOut) {
    if (live >= cap) {
      await sleep(100);
      continue;
    }
    if (Date.now() < nextHoldAt) {
      await sleep(nextHoldAt - Date.now());
      continue;
    }
    nextHoldAt = Date.now() + HOLD_EVERY_MS;
    const areaId = AREAS[Math.floor(Math.random() * AREAS.length)];
    let hold = await api("POST", `/v1/sessions/${sessionId}/holds`, {
      token,
      body: { areaId, quantity: 1 + Math.floor(Math.random() * 2) },
      headers: { "idempotency-key": randomUUID() },
      timeoutMs: 8_000,
    });
    if (hold.status === 202) {
      count(tally, "hold 202");
      // Accepted, fate unknown: follow it as the web app does. Dropping it (and asking again)
      // left a hold the gate rightly counted and the buyer did not: a false "phantom" refusal.
      const outcome = await followCommand(api, token, String(hold.body.commandId));
      if (!outcome) {
        uncertain++;
        setTimeout(() => uncertain--, HOLD_TTL_MS).unref();
        continue;
      }
      hold = outcome;
    }
    const code = typeof hold.body.code === "string" ? ` ${hold.body.code}` : "";
    count(tally, `hold ${hold.status}${hold.status === 409 ? code : ""}`);
    if (hold.status === 409 && hold.body.code === "too_many_holds") {
      if (live + uncertain < Number(hold.body.max ?? cap)) tally.phantomRefusals.push(Date.now());
      cap = Number(hold.body.max ?? cap);
    } else if (hold.status === 409 && ++misses > 40) tally.soldOut = true;
    if (hold.status !== 201) {
      // Retry-After honoured: asking again at once keeps a sliding-window limit full for good
      // (a run once got 1,612 × 429 and no grant after its third fault).
      const after = 1000 * Number(hold.headers.get("retry-after") ?? 0);
      nextHoldAt = Math.max(nextHoldAt, Date.now() + Math.min(after, 5_000));
      continue;
    }
    misses = 0;
    const second = Math.floor((Date.now() - tally.startedAt) / 1000);
    tally.grants[second] = (tally.grants[second] ?? 0) + 1;
    tally.grantTimes.push(Date.now());
    live++;
    const task = pay(api, token, hold.body, tally).then((ended) => {
      live--;
      paying.delete(task);
      // A hold neither paid nor clearly released may still be live until its TTL: a
      // too_many_holds meanwhile is not a phantom.
      if (!ended) {
        uncertain++;
        setTimeout(() => uncertain--, HOLD_TTL_MS).unref();
      } else {
        // The gate learns that a paid hold ended from the seat events, a moment after the pay
        // answer: a too_many_holds within that moment is lag, not a hold that never ends.
        uncertain++;
        setTimeout(() => uncertain--, SETTLE_LAG_MS).unref();
      }
    });
    paying.add(task);
  }
  await Promise.all(paying);
}

/** A 202's command until it is decided (≤ 10 s): the answer the hold would have had, or undefined. */
async function followCommand(api: Api, token: string, commandId: string): Promise<Answer | undefined> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await sleep(500);
    const status = await api("GET", `/v1/commands/${commandId}`, { token });
    const result = status.body.result as { statusCode: number; body?: Record<string, unknown> } | undefined;
    if (status.status === 200 && status.body.status === "done" && result) return { status: result.statusCode, body: result.body ?? {}, headers: new Headers() };
  }
  return undefined;
}

/** Pays a hold within 30 s, honouring Retry-After; gives the hold back if that fails. */
/** Whether the hold ended (paid, or clearly given back). */
async function pay(api: Api, token: string, hold: Record<string, unknown>, tally: Tally): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const answer = await api("POST", `/v1/orders/${hold.orderId}/pay`, { token, body: { provider: "mock" }, timeoutMs: 8_000 });
    count(tally, `pay ${answer.status}${answer.status === 409 && typeof answer.body.code === "string" ? ` ${answer.body.code}` : ""}`);
    // `already_paid`: an earlier attempt went through (its answer was lost in a fault).
    if (answer.status === 200 || answer.body.code === "already_paid") return true;
    if (![0, 404, 409, 429, 502, 503, 504].includes(answer.status)) break;
    await sleep(Math.min(5_000, Math.max(250, 1000 * Number(answer.headers.get("retry-after") ?? 0))));
  }
  const release = await api("DELETE", `/v1/holds/${hold.holdId}`, { token });
  count(tally, `release ${release.status}`);
  return [204, 404, 409].includes(release.status);
}

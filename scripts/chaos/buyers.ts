import { randomUUID } from "node:crypto";
import { type Api, sleep } from "./client.ts";
import { AREAS } from "./setup.ts";

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
 * One buyer, until `until` or the sale is over: hold 1–2 best-available seats, pay at once
 * (retrying what the API says to retry), and give the hold back if paying fails for good. So a
 * buyer never has more than one live hold, and any `too_many_holds` is for holds it does not have.
 */
export async function buyer(api: Api, token: string, sessionId: string, tally: Tally, until: () => boolean): Promise<void> {
  let misses = 0;
  while (!until() && !tally.soldOut) {
    const areaId = AREAS[Math.floor(Math.random() * AREAS.length)];
    const hold = await api("POST", `/v1/sessions/${sessionId}/holds`, {
      token,
      body: { areaId, quantity: 1 + Math.floor(Math.random() * 2) },
      headers: { "idempotency-key": randomUUID() },
      timeoutMs: 8_000,
    });
    const code = typeof hold.body.code === "string" ? ` ${hold.body.code}` : "";
    count(tally, `hold ${hold.status}${hold.status === 409 ? code : ""}`);
    if (hold.status === 409 && hold.body.code === "too_many_holds") tally.phantomRefusals.push(Date.now());
    if (hold.status === 409 && hold.body.code !== "too_many_holds" && ++misses > 40) tally.soldOut = true;
    if (hold.status !== 201) {
      await sleep(hold.status === 0 || hold.status >= 500 ? 200 : 50);
      continue;
    }
    misses = 0;
    const second = Math.floor((Date.now() - tally.startedAt) / 1000);
    tally.grants[second] = (tally.grants[second] ?? 0) + 1;
    tally.grantTimes.push(Date.now());
    let paid = false;
    for (let attempt = 0; attempt < 20 && !paid; attempt++) {
      const pay = await api("POST", `/v1/orders/${hold.body.orderId}/pay`, { token, body: { provider: "mock" }, timeoutMs: 8_000 });
      count(tally, `pay ${pay.status}`);
      paid = pay.status === 200;
      if (!paid && ![0, 404, 409, 429, 502, 503, 504].includes(pay.status)) break;
      if (!paid) await sleep(250);
    }
    if (!paid) count(tally, `release ${(await api("DELETE", `/v1/holds/${hold.body.holdId}`, { token })).status}`);
  }
}

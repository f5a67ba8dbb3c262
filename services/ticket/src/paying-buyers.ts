import { randomUUID } from "node:crypto";
import { orderIdForHold, redisKeys } from "@rush/contracts";
import { type Db, users } from "@rush/db";
import type { Redis } from "ioredis";
import { accessToken } from "../../order/src/testing/purchase-stack.ts";

/**
 * Buyers who pay while servers die (the node-kill test): real users in PostgreSQL, each with an
 * access token, paying for their holds through the payment service, a few at a time. A pay that
 * meets a fault (5xx, refused connection) is sent again, as a buyer's retry would be: the payment
 * service makes a second pay of an order a conflict, never a second charge. Each grant is first
 * recorded as the gate records it (`order:grant:…`), so a pay that outruns the order service (its
 * consumer fails over too) is told 503 `order_pending` and asked again, as behind the gate.
 */
export interface PayingBuyers {
  readonly ids: string[];
  /** Queues the pay of `holdId`'s order by buyer `buyerId`. */
  pay(buyerId: string, holdId: string): void;
  /** Waits for every queued pay to be answered; when each one that was accepted was answered. */
  settled(): Promise<{ acceptedAt: number[]; statuses: Record<number, number> }>;
}

const ATTEMPTS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function payingBuyers(db: Db, redis: Redis, count: number, paymentUrl: string, concurrency = 4): Promise<PayingBuyers> {
  const rows = Array.from({ length: count }, (_, i) => ({ email: `nk-${i}-${randomUUID()}@example.com`, passwordHash: "x", displayName: `Buyer ${i}` }));
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    ids.push(...(await db.db.insert(users).values(rows.slice(i, i + 500)).returning({ id: users.id })).map((u) => u.id));
  }
  const queue: { buyerId: string; holdId: string }[] = [];
  const acceptedAt: number[] = [];
  const statuses: Record<number, number> = {};
  let lanes: Promise<void>[] = [];

  const payOnce = async (buyerId: string, holdId: string): Promise<number> => {
    await redis.set(redisKeys.orderGrant(buyerId, orderIdForHold(holdId)), buyerId, "PX", 600_000).catch(() => {});
    const response = await fetch(`${paymentUrl}/v1/orders/${orderIdForHold(holdId)}/pay`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken(buyerId)}`, "content-type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    return response?.status ?? 0;
  };
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      let status = 0;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        status = await payOnce(next.buyerId, next.holdId);
        if (status !== 0 && status < 500) break;
        await sleep(500);
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200 || status === 409) acceptedAt.push(Date.now());
    }
  };

  return {
    ids,
    pay(buyerId, holdId) {
      queue.push({ buyerId, holdId });
      if (lanes.length < concurrency) {
        const running: Promise<void> = lane().then(() => {
          lanes = lanes.filter((l) => l !== running);
        });
        lanes.push(running);
      }
    },
    async settled() {
      while (lanes.length > 0) await Promise.all(lanes);
      return { acceptedAt, statuses };
    },
  };
}

import { randomUUID } from "node:crypto";
import { users } from "@rush/db";
import type { ServiceProcess, TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PurchaseStack, type TestUser, accessToken, seedSession, seedUser, startPurchaseStack } from "./testing/purchase-stack.ts";

/**
 * Issue 13 item 4: the order a hold answer names can be paid at once. Gate, ticket worker,
 * order and payment run as processes; the fault is an order service that is not there (stopped)
 * or behind (a burst of holds each paid the moment it is granted).
 */
describe("read-your-writes: pay right after the hold", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let gate: ServiceProcess;
  let order: ServiceProcess;
  let sessionId: string;

  const post = async (path: string, token: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gate.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: text ? JSON.parse(text) : undefined };
  };
  const hold = (user: TestUser, quantity = 1) => post(`/v1/sessions/${sessionId}/holds`, user.token, { areaId: "A", quantity }, { "idempotency-key": randomUUID() });
  const pay = (user: TestUser, orderId: string) => post(`/v1/orders/${orderId}/pay`, user.token, { provider: "mock" });
  /** Pays until it is not "retry", as a client honouring Retry-After does; every answer is kept. */
  const payUntilAnswered = async (user: TestUser, orderId: string, seen: number[]) => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const res = await pay(user, orderId);
      seen.push(res.status);
      if (res.status !== 503) return res;
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`order ${orderId} never became payable`);
  };

  beforeAll(async () => {
    database = await testDatabase("readyourwrites");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    let payment: ServiceProcess;
    [order, payment] = await Promise.all([stack.spawn("order"), stack.spawn("payment", { PAY_ORDER_WAIT_MS: "300" })]);
    gate = await stack.spawn("gate", { ORDER_URL: order.url, PAYMENT_URL: payment.url, RATE_LIMIT_ENABLED: "false", BOT_CHALLENGE_SCORE: "101" });
    sessionId = await seedSession(stack, { rows: 20, perRow: 20 });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  it("pay: with the order service down, an order just granted is 503 order_pending with Retry-After (never 404), then paid once it runs", async () => {
    const buyer = await seedUser(stack);
    await order.stop();
    const held = await hold(buyer);
    expect(held.status).toBe(201);
    const early = await pay(buyer, held.body.orderId);
    expect(early.status).toBe(503);
    expect(early.body.code).toBe("order_pending");
    expect(Number(early.retryAfter)).toBeGreaterThan(0);
    // Someone else's order id, or one never granted, is still a plain 404.
    const stranger = await seedUser(stack);
    expect((await pay(stranger, held.body.orderId)).status).toBe(404);
    expect((await pay(buyer, randomUUID())).status).toBe(404);

    order = await stack.spawn("order");
    const seen: number[] = [];
    const paid = await payUntilAnswered(buyer, held.body.orderId, seen);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("completed");
    expect(seen).not.toContain(404);
  });

  it("pay: a burst of holds, each paid the moment it is granted → 0 × 404, every order completed", async () => {
    const buyers = await stack.db.db
      .insert(users)
      .values(Array.from({ length: 60 }, (_, i) => ({ email: `burst-${randomUUID()}-${i}@example.com`, passwordHash: "x", displayName: "Burst" })))
      .returning({ id: users.id, email: users.email });
    const seen: number[] = [];
    const started = performance.now();
    const outcomes = await Promise.all(
      buyers.map(async ({ id, email }) => {
        const user = { id, email, token: accessToken(id, ["customer"], email) };
        const held = await hold(user);
        if (held.status !== 201) return held.status;
        return (await payUntilAnswered(user, held.body.orderId, seen)).body.status as string;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`read-your-writes burst: ${buyers.length} hold→pay in ${seconds.toFixed(1)} s, pay answers ${JSON.stringify(Object.fromEntries(seen.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<number, number>())))}`);
    expect(seen.filter((s) => s === 404)).toEqual([]);
    expect(outcomes.every((o) => o === "completed")).toBe(true);
  });
});

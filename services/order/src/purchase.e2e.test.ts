import { randomUUID } from "node:crypto";
import { redisKeys } from "@rush/contracts";
import { events, orders, paymentEvents, payments, sessions, tickets, users } from "@rush/db";
import type { ServiceProcess, TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveClient, connectLive } from "./testing/live-client.ts";
import { type PurchaseStack, type TestUser, hold, seedSession, seedUser, startPurchaseStack } from "./testing/purchase-stack.ts";

/**
 * Issue 6 end to end: ticket worker, order, payment and two notification instances as real
 * processes on real NATS, Redis and PostgreSQL; clients over HTTP and socket.io.
 */
describe("purchase end to end", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let order: ServiceProcess;
  let payment: ServiceProcess;
  let live1: ServiceProcess;
  let live2: ServiceProcess;
  let gate: ServiceProcess;
  let buyer: TestUser;
  let rival: TestUser;
  let staff: TestUser;
  let sessionId: string;
  const clients: LiveClient[] = [];

  const call = async (service: ServiceProcess, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: text ? JSON.parse(text) : undefined };
  };
  const orderOf = async (user: TestUser, orderId: string) => (await call(order, "GET", `/v1/orders/${orderId}`, user.token)).body;
  const live = async (service: ServiceProcess, user: TestUser) => {
    const client = await connectLive(service.url, user.token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    database = await testDatabase("purchase");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    // Identity (register, login) behind the gate, as a browser reaches it; the gate also takes holds.
    const catalog = await stack.spawn("catalog", { SCRYPT_LOG_N: "12", PASSWORD_HASH_THREADS: "1" });
    [gate, order, payment, live1, live2] = await Promise.all([
      stack.spawn("gate", { CATALOG_URL: catalog.url, RATE_LIMIT_ENABLED: "false", BOT_CHALLENGE_SCORE: "101" }),
      stack.spawn("order"),
      stack.spawn("payment", { MOCK_SLOW_MS: "2500", RECONCILE_EVERY_MS: "500", RECONCILE_AFTER_MS: "3000" }),
      stack.spawn("notification"),
      stack.spawn("notification"),
    ]);
    [buyer, rival, staff] = await Promise.all([seedUser(stack), seedUser(stack), seedUser(stack, ["staff"])]);
    sessionId = await seedSession(stack, { rows: 2, perRow: 10 });
    // Staff check in only the events of the organizer they work for.
    const [scope] = await stack.db.db
      .select({ organizerId: events.organizerId })
      .from(sessions)
      .innerJoin(events, eq(events.id, sessions.eventId))
      .where(eq(sessions.id, sessionId));
    await stack.db.db.update(users).set({ staffOrganizerId: scope!.organizerId }).where(eq(users.id, staff.id));
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await stack?.close();
    await database?.drop();
  });

  it("purchase: register → log in → hold → pay → ticket with QR → verify 200 → verify again 409, live over socket.io", async () => {
    const email = `buyer-${randomUUID()}@example.com`;
    const registered = await call(gate, "POST", "/v1/auth/register", undefined, { email, password: "correct horse battery", displayName: "Buyer" });
    expect(registered.status).toBe(201);
    const login = await call(gate, "POST", "/v1/auth/login", undefined, { email, password: "correct horse battery" });
    expect(login.status).toBe(200);
    const buyer: TestUser = { id: registered.body.user.id, email, token: login.body.accessToken };

    const client = await live(live1, buyer);
    expect(await client.subscribe(sessionId)).toMatchObject({ ok: true, sessionId });

    const held = await call(gate, "POST", `/v1/sessions/${sessionId}/holds`, buyer.token, { seatIds: ["A-1-1", "A-1-2"] }, {
      "idempotency-key": randomUUID(),
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      "accept-language": "en-GB,en;q=0.9",
      accept: "application/json",
    });
    expect(held.status).toBe(201);
    expect(held.body.seats).toEqual([
      { id: "A-1-1", price: { amount: "45.00", currency: "EUR" } },
      { id: "A-1-2", price: { amount: "45.00", currency: "EUR" } },
    ]);
    await expect.poll(() => client.seatStatus(sessionId, "A-1-1"), { timeout: 5000 }).toBe("held");

    // Paid at once: the order service may not have seen the hold yet; pay waits for it.
    const { orderId } = held.body;
    const paid = await call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, {});
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ orderId, status: "completed", paymentStatus: "succeeded" });

    await expect.poll(async () => (await orderOf(buyer, orderId)).status, { timeout: 5000 }).toBe("completed");
    const view = await orderOf(buyer, orderId);
    expect(view).toMatchObject({ total: { amount: "90.00", currency: "EUR" }, items: [{ seatId: "A-1-1" }, { seatId: "A-1-2" }] });
    await expect.poll(() => client.seatStatus(sessionId, "A-1-2"), { timeout: 5000 }).toBe("sold");
    await expect.poll(() => client.orders.map((o) => o.status), { timeout: 5000 }).toContain("completed");

    const mine = await call(order, "GET", "/v1/me/tickets", buyer.token);
    expect(mine.body.items).toHaveLength(2);
    const ticket = mine.body.items.find((t: { seatId: string }) => t.seatId === "A-1-1");
    expect(ticket).toMatchObject({ sessionId, status: "valid", version: 1, qr: expect.stringMatching(/^RT2\./) });

    const first = await call(order, "POST", "/v1/tickets/verify", staff.token, { qr: ticket.qr });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ticketId: ticket.id, seatId: "A-1-1", firstUse: true });
    const again = await call(order, "POST", "/v1/tickets/verify", staff.token, { qr: ticket.qr });
    expect(again.status).toBe(409);
    expect(again.type).toContain("application/problem+json");
    expect(again.body).toMatchObject({ code: "ticket_used", firstUsedAt: first.body.usedAt });

    // Every money step is on record.
    const [row] = await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId));
    const trail = await stack.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, row!.id));
    expect(trail.map((e) => e.status)).toEqual(["created", "pending", "succeeded", "succeeded"]);
  });

  it("purchase: the race — the hold expires, another buyer takes the seat, then the first payment succeeds → refunded, sold once, to the second", async () => {
    const short = await seedSession(stack, { rows: 1, perRow: 3, config: { holdTtlMs: 1_200, maxHoldExtensionMs: 0 } });
    const first = await hold(stack, short, buyer.id, ["A-1-1"]);
    const firstOrder = (await import("@rush/contracts")).orderIdForHold(first.holdId);
    // "slow": the provider answers by webhook after 2.5 s, long after the hold's 1.2 s.
    const pending = await call(payment, "POST", `/v1/orders/${firstOrder}/pay`, buyer.token, { method: "slow" });
    expect(pending.body).toMatchObject({ status: "payment_pending", clientAction: { type: "wait_for_webhook" } });

    let second: Awaited<ReturnType<typeof hold>> | undefined;
    await expect
      .poll(async () => {
        second = await hold(stack, short, rival.id, ["A-1-1"]);
        return second.event?.type;
      }, { timeout: 5000, interval: 200 })
      .toBe("SeatsHeld");
    const secondOrder = (await import("@rush/contracts")).orderIdForHold(second!.holdId);

    // The second buyer pays at once (their hold is short too); the first payment's webhook comes after.
    const paid = await call(payment, "POST", `/v1/orders/${secondOrder}/pay`, rival.token, {});
    expect(paid.body).toMatchObject({ status: "completed" });
    // The first order followed its hold out; its payment is still running at the provider.
    await expect.poll(async () => (await orderOf(buyer, firstOrder)).status, { timeout: 5000 }).toBe("expired");

    await expect.poll(async () => (await orderOf(buyer, firstOrder)).status, { timeout: 10_000 }).toBe("refunded");
    const [refund] = await stack.db.db.select().from(payments).where(eq(payments.orderId, firstOrder));
    expect(refund).toMatchObject({ status: "refunded", reason: "hold_expired" });
    await expect.poll(async () => (await orderOf(rival, secondOrder)).status, { timeout: 5000 }).toBe("completed");
    const sold = await stack.db.db.select().from(tickets).where(eq(tickets.sessionId, short));
    expect(sold.map((t) => [t.seatId, t.ownerId])).toEqual([["A-1-1", rival.id]]);
    expect(await stack.redis.hget(redisKeys.seatMap(short), "A-1-1")).toBe("s");
  });

  it("purchase: a declined payment → order failed, seats available again, and subscribers see it", async () => {
    const watcher = await live(live2, rival);
    await watcher.subscribe(sessionId);
    const { holdId } = await hold(stack, sessionId, buyer.id, ["A-2-5"]);
    await expect.poll(() => watcher.seatStatus(sessionId, "A-2-5"), { timeout: 5000 }).toBe("held");
    const orderId = (await import("@rush/contracts")).orderIdForHold(holdId);
    const declined = await call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, { method: "fail" });
    expect(declined.body).toMatchObject({ status: "failed", paymentStatus: "failed", reason: "declined" });
    await expect.poll(() => watcher.seatStatus(sessionId, "A-2-5"), { timeout: 5000 }).toBe("available");
    await expect.poll(async () => (await orderOf(buyer, orderId)).status, { timeout: 5000 }).toBe("failed");
    expect(await stack.redis.hget(redisKeys.seatMap(sessionId), "A-2-5")).toBe("a");
  });

  it("live: two notification instances — a client on each receives the same seat changes", async () => {
    const [a, b] = [await live(live1, buyer), await live(live2, rival)];
    await Promise.all([a.subscribe(sessionId), b.subscribe(sessionId)]);
    const seats = ["A-2-1", "A-2-2", "A-2-3"];
    for (const seat of seats) await hold(stack, sessionId, rival.id, [seat]);
    for (const client of [a, b]) {
      for (const seat of seats) await expect.poll(() => client.seatStatus(sessionId, seat), { timeout: 5000 }).toBe("held");
    }
    // Deltas are numbered one by one per session, whichever instance sent them.
    const seqs = a.seats.filter((u) => u.sessionId === sessionId).map((u) => u.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(b.seats.filter((u) => u.sessionId === sessionId).map((u) => u.seq)).toEqual(seqs.filter((s) => s >= (b.seats[0]?.seq ?? 0)));
  });

  it("live: the handshake needs a valid token", async () => {
    const socket = io(live1.url, { path: "/socket.io", auth: { token: "not-a-jwt" }, transports: ["websocket"], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    socket.close();
    expect(error.message).toContain("unauthorized");
  });

  it("bad input: 4xx problem+json, and nothing changes", async () => {
    const { holdId } = await hold(stack, sessionId, buyer.id, ["A-2-9"]);
    const orderId = (await import("@rush/contracts")).orderIdForHold(holdId);
    await expect.poll(async () => (await call(order, "GET", `/v1/orders/${orderId}`, buyer.token)).status, { timeout: 5000 }).toBe(200);

    // Another buyer's order: not theirs to see or pay.
    expect((await call(order, "GET", `/v1/orders/${orderId}`, rival.token)).status).toBe(404);
    expect((await call(payment, "POST", `/v1/orders/${orderId}/pay`, rival.token, {})).status).toBe(404);
    // No token, bad body, bad id.
    expect((await call(payment, "POST", `/v1/orders/${orderId}/pay`, undefined, {})).status).toBe(401);
    const invalid = await call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, { provider: "paypal" });
    expect(invalid).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ path: "body.provider" })] } });
    expect((await call(order, "GET", "/v1/orders/not-a-uuid", buyer.token)).status).toBe(400);
    expect((await orderOf(buyer, orderId)).status).toBe("created");

    // Double pay: the second is refused and charges nothing.
    const [one, two] = await Promise.all([
      call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, {}),
      call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, {}),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    expect((await call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, {})).status).toBe(409);
    expect(await stack.db.db.select().from(payments).where(eq(payments.orderId, orderId))).toHaveLength(1);

    // A forged QR, a customer at the scanner.
    const forged = await call(order, "POST", "/v1/tickets/verify", staff.token, { qr: "RT2.eyJ0Ijox.c2lnbmF0dXJl" });
    expect(forged).toMatchObject({ status: 400, body: { code: "ticket_forged" } });
    expect((await call(order, "POST", "/v1/tickets/verify", buyer.token, { qr: "RT2.a.b" })).status).toBe(403);

    // Webhooks: a bad signature is refused and moves nothing.
    const body = JSON.stringify({ type: "payment.succeeded", providerRef: `mock_${randomUUID()}` });
    const unsigned = await call(payment, "POST", "/v1/payments/webhooks/mock", undefined, body);
    expect(unsigned).toMatchObject({ status: 400, body: { code: "bad_signature" } });
    const wrong = await call(payment, "POST", "/v1/payments/webhooks/mock", undefined, body, { "rush-mock-signature": `t=${Date.now()},v1=${"0".repeat(64)}` });
    expect(wrong.status).toBe(400);
    // Stripe is not configured in this stack: its webhook route does not exist here.
    expect((await call(payment, "POST", "/v1/payments/webhooks/stripe", undefined, body, { "stripe-signature": "t=1,v1=x" })).status).toBe(404);
  });

  it("tickets: a transfer re-issues the ticket: the old QR stops working, the new owner's works", async () => {
    const { holdId } = await hold(stack, sessionId, buyer.id, ["A-1-9"]);
    const orderId = (await import("@rush/contracts")).orderIdForHold(holdId);
    expect((await call(payment, "POST", `/v1/orders/${orderId}/pay`, buyer.token, {})).body.status).toBe("completed");
    let ticket: { id: string; qr: string; seatId: string } | undefined;
    await expect
      .poll(async () => {
        ticket = (await call(order, "GET", "/v1/me/tickets", buyer.token)).body.items.find((t: { seatId: string }) => t.seatId === "A-1-9");
        return ticket?.seatId;
      }, { timeout: 5000 })
      .toBe("A-1-9");
    const moved = await call(order, "POST", `/v1/tickets/${ticket!.id}/transfer`, buyer.token, { toEmail: rival.email.toUpperCase() });
    expect(moved).toMatchObject({ status: 200, body: { version: 2, transferredTo: rival.email } });
    expect((await call(order, "POST", `/v1/tickets/${ticket!.id}/transfer`, buyer.token, { toEmail: rival.email })).status).toBe(404);

    const old = await call(order, "POST", "/v1/tickets/verify", staff.token, { qr: ticket!.qr });
    expect(old).toMatchObject({ status: 409, body: { code: "ticket_superseded" } });
    const theirs = (await call(order, "GET", "/v1/me/tickets", rival.token)).body.items.find((t: { id: string }) => t.id === ticket!.id);
    expect((await call(order, "POST", "/v1/tickets/verify", staff.token, { qr: theirs.qr })).status).toBe(200);

    const list = await call(order, "GET", "/v1/me/orders?limit=2", buyer.token);
    expect(list.body.items).toHaveLength(2);
    const next = await call(order, "GET", `/v1/me/orders?limit=2&cursor=${list.body.nextCursor}`, buyer.token);
    const ids = [...list.body.items, ...next.body.items].map((o: { id: string }) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    const [row] = await stack.db.db.select().from(orders).where(eq(orders.id, orderId));
    expect(row?.status).toBe("completed");
  });
});

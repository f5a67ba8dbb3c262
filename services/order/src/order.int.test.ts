import { randomUUID } from "node:crypto";
import { newTraceContext, publish } from "@rush/bus";
import { OrderEvent, PaymentEvent, STREAMS, SeatEvent, orderIdForHold, partitionOf, paymentSubject, seatEventSubject } from "@rush/contracts";
import { orderItems, orders, tickets } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderService, buildOrderService, isPermanentOrderFailure } from "./app.ts";
import { normalizeAmount } from "./orders/money.ts";
import { createOrderStore } from "./orders/order-store.ts";
import { createPriceBook } from "./orders/price-book.ts";
import { extendMany } from "./orders/extended-holds.ts";
import { sellMany } from "./orders/sold-holds.ts";
import { moveMany } from "./orders/moved-orders.ts";
import { createPaymentEventBatchHandler } from "./orders/payment-event-handler.ts";
import { OrderConfig } from "./config.ts";
import { type PurchaseStack, TEST_PARTITIONS, type TestUser, hold, seedSession, seedUser, startPurchaseStack } from "./testing/purchase-stack.ts";

describe("order service", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let service: OrderService;
  let buyer: TestUser;
  let sessionId: string;

  const orderRow = async (orderId: string) => (await stack.db.db.select().from(orders).where(eq(orders.id, orderId)))[0];

  beforeAll(async () => {
    database = await testDatabase("order");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    service = await buildOrderService({
      config: OrderConfig.parse({ ...stack.env, NODE_ENV: "test" }),
      bus: stack.bus,
      db: stack.db,
      logger: createLogger("order-test", "silent"),
      metrics: createMetrics("order-test"),
    });
    await service.start();
    await service.app.ready();
    buyer = await seedUser(stack);
    sessionId = await seedSession(stack, { rows: 2, perRow: 10, price: "12.50", config: { holdTtlMs: 1_500, maxHoldExtensionMs: 5_000 } });
  });
  afterAll(async () => {
    await service?.stop();
    await service?.app.close();
    await stack?.close();
    await database?.drop();
  });

  it("orders: a granted hold opens its order, priced from the session's categories", async () => {
    const { holdId, event } = await hold(stack, sessionId, buyer.id, ["A-1-1", "A-1-2", "A-1-3"]);
    expect(event?.type).toBe("SeatsHeld");
    const orderId = orderIdForHold(holdId);
    await expect.poll(() => orderRow(orderId), { timeout: 5000 }).toMatchObject({ status: "created", totalAmount: "37.50", holdId });
    const items = await stack.db.db.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    expect(items.map((i) => i.seatId).sort()).toEqual(["A-1-1", "A-1-2", "A-1-3"]);
    const created = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.created.${orderId}` });
    expect(OrderEvent.parse(created!.json())).toMatchObject({ orderId, status: "created", buyerId: buyer.id, total: { amount: "37.50" } });
  });

  it("orders: a redelivered or replayed SeatsHeld never creates a second order", async () => {
    const holdId = randomUUID();
    const event: SeatEvent = {
      type: "SeatsHeld", commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), holdId, buyerId: buyer.id,
      seatIds: ["A-2-9"], expiresAt: Date.now() + 60_000, maxExpiresAt: Date.now() + 60_000, mode: "seats",
    };
    const subject = seatEventSubject("locked", partitionOf(sessionId, "A", TEST_PARTITIONS));
    // Two copies under different message ids: JetStream keeps both, as a replay would deliver them.
    await publish(stack.bus, subject, SeatEvent, event, { msgId: `${event.commandId}:0` });
    await publish(stack.bus, subject, SeatEvent, event, { msgId: `${event.commandId}:replay` });
    const orderId = orderIdForHold(holdId);
    await expect.poll(() => orderRow(orderId), { timeout: 5000 }).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(await stack.db.db.select().from(orders).where(eq(orders.holdId, holdId))).toHaveLength(1);
    expect(await stack.db.db.select().from(orderItems).where(eq(orderItems.orderId, orderId))).toHaveLength(1);
  });

  it("orders: a SeatsSold whose grant was never seen opens the order from the sale, tickets every seat and completes it once, redelivered or not", async () => {
    const holdId = randomUUID();
    const event: SeatEvent = {
      type: "SeatsSold", commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), holdId, paymentId: randomUUID(),
      buyerId: buyer.id, seatIds: ["A-2-7", "A-2-8"],
    };
    const subject = seatEventSubject("sold", partitionOf(sessionId, "A", TEST_PARTITIONS));
    await publish(stack.bus, subject, SeatEvent, event, { msgId: `${event.commandId}:0` });
    await publish(stack.bus, subject, SeatEvent, event, { msgId: `${event.commandId}:replay` });
    const orderId = orderIdForHold(holdId);
    await expect.poll(async () => (await orderRow(orderId))?.status, { timeout: 5000 }).toBe("completed");
    await new Promise((r) => setTimeout(r, 300));
    const issued = await stack.db.db.select().from(tickets).where(eq(tickets.orderId, orderId));
    expect(issued.map((t) => [t.seatId, t.ownerId]).sort()).toEqual([["A-2-7", buyer.id], ["A-2-8", buyer.id]]);
    const completed = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.completed.${orderId}` });
    expect(completed).not.toBeNull();
    expect(OrderEvent.parse(completed!.json())).toMatchObject({ type: "OrderStatusChanged", orderId, status: "completed", previous: "created" });
  });

  it("orders: while the batch before them is stuck on a pay, a grant opens its order and a sale tickets it at once; their own batch does neither again", async () => {
    const heldEvent = (holdId: string, seatIds: string[]): SeatEvent => ({
      type: "SeatsHeld", commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), holdId, buyerId: buyer.id,
      seatIds, expiresAt: Date.now() + 60_000, maxExpiresAt: Date.now() + 60_000, mode: "seats",
    });
    const partition = partitionOf(sessionId, "A", TEST_PARTITIONS);
    const paid = randomUUID();
    await publish(stack.bus, seatEventSubject("locked", partition), SeatEvent, heldEvent(paid, ["A-2-10"]));
    await expect.poll(() => orderRow(orderIdForHold(paid)), { timeout: 5000 }).toBeDefined();
    // The paid order's row is locked elsewhere: the batch with its sale waits on it, as a batch of pays waits on a busy database.
    let unlock = () => {};
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = stack.db.sql.begin(async (tx) => {
      await tx`select id from orders where id = ${orderIdForHold(paid)} for update`;
      locked();
      await unlocked;
    });
    try {
      await lockTaken;
      const sale: SeatEvent = { type: "SeatsSold", commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), holdId: paid, paymentId: randomUUID(), buyerId: buyer.id, seatIds: ["A-2-10"] };
      await publish(stack.bus, seatEventSubject("sold", partition), SeatEvent, sale);
      await new Promise((r) => setTimeout(r, 300));
      const granted = randomUUID();
      await publish(stack.bus, seatEventSubject("locked", partition), SeatEvent, heldEvent(granted, ["A-2-11"]));
      // Its pay waits for this order: it is there while the batch before it still waits.
      await expect.poll(() => orderRow(orderIdForHold(granted)), { timeout: 5000 }).toMatchObject({ status: "created" });
      // And once paid, its buyer's tickets do not wait for that batch either.
      const grantedSale: SeatEvent = { type: "SeatsSold", commandId: randomUUID(), sessionId, areaId: "A", at: Date.now(), holdId: granted, paymentId: randomUUID(), buyerId: buyer.id, seatIds: ["A-2-11"] };
      await publish(stack.bus, seatEventSubject("sold", partition), SeatEvent, grantedSale);
      await expect.poll(async () => (await orderRow(orderIdForHold(granted)))?.status, { timeout: 5000 }).toBe("completed");
      expect((await stack.db.db.select().from(tickets).where(eq(tickets.orderId, orderIdForHold(granted)))).map((t) => t.seatId)).toEqual(["A-2-11"]);
      expect((await orderRow(orderIdForHold(paid)))?.status).toBe("created");
      unlock();
      await holding;
      await expect.poll(async () => (await orderRow(orderIdForHold(paid)))?.status, { timeout: 5000 }).toBe("completed");
      const consumer = async () => await stack.bus.jsm.consumers.info(STREAMS.seatEvents, "order-seat-events");
      await expect.poll(async () => (await consumer()).num_ack_pending, { timeout: 5000 }).toBe(0);
      for (const status of ["created", "completed"]) {
        const subject = `order.${status}.${orderIdForHold(granted)}`;
        expect((await stack.bus.jsm.streams.info(STREAMS.orders, { subjects_filter: subject })).state.subjects?.[subject]).toBe(1);
      }
      expect(await stack.db.db.select().from(tickets).where(eq(tickets.orderId, orderIdForHold(paid)))).toHaveLength(1);
    } finally {
      unlock();
      await holding.catch(() => {});
    }
  });

  it("orders: a batch of holds opens every order and its items in one statement; a replayed batch adds nothing", async () => {
    const store = createOrderStore(stack.db.db, stack.db.sql, createPriceBook(stack.db.db, { ttlMs: 60_000 }));
    const facts = (seatIds: string[]) => {
      const holdId = randomUUID();
      return { orderId: orderIdForHold(holdId), holdId, buyerId: buyer.id, sessionId, areaId: "A", seatIds, expiresAt: Date.now() + 60_000 };
    };
    const [one, two] = [facts(["A-2-2", "A-2-3"]), facts(["A-2-4"])];
    const first = await store.ensureMany([one, two, one]);
    expect(first.map((r) => [r.order.id, r.created])).toEqual([[one.orderId, true], [two.orderId, true]]);
    // What it returns without reading back is what PostgreSQL stored.
    for (const { order } of first) expect({ ...order, totalAmount: normalizeAmount(order.totalAmount) }).toEqual({ ...(await orderRow(order.id))!, totalAmount: normalizeAmount(order.totalAmount) });
    expect(first[0]!.order).toMatchObject({ status: "created", totalAmount: "25.00", currency: "EUR", expiresAt: new Date(one.expiresAt) });

    const three = facts(["A-2-5"]);
    await store.moveTo(two.orderId, "payment_pending");
    const again = await store.ensureMany([two, three, one]);
    expect(again.map((r) => [r.order.id, r.created, r.order.status]).sort()).toEqual(
      [[one.orderId, false, "created"], [two.orderId, false, "payment_pending"], [three.orderId, true, "created"]].sort(),
    );
    const items = await stack.db.db.select().from(orderItems).where(inArray(orderItems.orderId, [one.orderId, two.orderId, three.orderId]));
    expect(items.map((i) => `${i.orderId === one.orderId ? 1 : i.orderId === two.orderId ? 2 : 3}:${i.seatId}:${i.amount}`).sort()).toEqual(
      ["1:A-2-2:12.50", "1:A-2-3:12.50", "2:A-2-4:12.50", "3:A-2-5:12.50"],
    );
  });

  it("orders: a batch of pays extends and sells every order in one statement each, with its tickets; a replay changes nothing; a seat ticketed elsewhere is reported", async () => {
    const store = createOrderStore(stack.db.db, stack.db.sql, createPriceBook(stack.db.db, { ttlMs: 60_000 }));
    // Its own session: these tickets are written straight to PostgreSQL, past the seat engine.
    const paySession = await seedSession(stack, { rows: 1, perRow: 10, price: "12.50" });
    const facts = (seatIds: string[]) => {
      const holdId = randomUUID();
      return { orderId: orderIdForHold(holdId), holdId, buyerId: buyer.id, sessionId: paySession, areaId: "A", seatIds, expiresAt: Date.now() + 60_000 };
    };
    const [one, two, gone, rival, clash] = [facts(["A-1-1", "A-1-2"]), facts(["A-1-3"]), facts(["A-1-4"]), facts(["A-1-5"]), facts(["A-1-5"])];
    await store.ensureMany([one, two, gone, rival, clash]);
    await store.moveTo(two.orderId, "payment_pending");
    await store.moveTo(gone.orderId, "expired");
    await store.moveTo(gone.orderId, "failed");
    // Another order already has A-1-5's ticket: the sale of `rival` must report it, not hide it.
    await sellMany(stack.db.sql, [{ orderId: rival.orderId, seatIds: ["A-1-5"] }], new Date());
    const later = Date.now() + 120_000;
    await extendMany(stack.db.sql, [{ orderId: one.orderId, expiresAt: later - 1 }, { orderId: one.orderId, expiresAt: later }, { orderId: gone.orderId, expiresAt: later }], new Date());
    expect((await orderRow(one.orderId))!.expiresAt.getTime()).toBe(later);
    expect((await orderRow(gone.orderId))!.expiresAt.getTime()).toBe(gone.expiresAt);

    const sales = [
      { orderId: one.orderId, seatIds: one.seatIds },
      { orderId: two.orderId, seatIds: two.seatIds },
      { orderId: gone.orderId, seatIds: gone.seatIds },
      { orderId: orderIdForHold(randomUUID()), seatIds: ["A-1-6"] },
      { orderId: clash.orderId, seatIds: clash.seatIds },
    ];
    const first = await sellMany(stack.db.sql, sales, new Date());
    const byId = new Map(first.map((outcome) => [outcome.order.id, outcome]));
    // No order for A-1-6's sale: left to the caller (it opens the order from the sale).
    expect(first).toHaveLength(4);
    expect(byId.get(one.orderId)).toMatchObject({ previous: "created", changed: true, conflicts: [], order: { status: "completed", expiresAt: new Date(later) } });
    expect(byId.get(two.orderId)).toMatchObject({ previous: "payment_pending", changed: true, conflicts: [] });
    expect(byId.get(gone.orderId)).toMatchObject({ previous: "failed", changed: false, order: { status: "failed" } });
    expect(byId.get(clash.orderId)).toMatchObject({ changed: true, conflicts: ["A-1-5"] });
    // What it returns without reading back is what PostgreSQL stored.
    for (const { order } of first) expect(order).toEqual(await orderRow(order.id));
    const ticketsOf = async (orderId: string) => (await stack.db.db.select().from(tickets).where(eq(tickets.orderId, orderId))).map((t) => t.seatId).sort();
    expect(await ticketsOf(one.orderId)).toEqual(["A-1-1", "A-1-2"]);
    expect(await ticketsOf(two.orderId)).toEqual(["A-1-3"]);
    expect(await ticketsOf(clash.orderId)).toEqual([]);

    const replay = await sellMany(stack.db.sql, sales, new Date());
    expect(replay.map((o) => [o.order.id, o.changed, o.order.status, o.conflicts.length]).sort()).toEqual(
      first.map((o) => [o.order.id, false, o.order.status, o.conflicts.length]).sort(),
    );
    expect(await ticketsOf(one.orderId)).toEqual(["A-1-1", "A-1-2"]);
  });

  it("orders: a burst of payment events moves its orders a statement at a time; a start announces payment_pending once, a decline fails the order, a replay changes nothing", async () => {
    const store = createOrderStore(stack.db.db, stack.db.sql, createPriceBook(stack.db.db, { ttlMs: 60_000 }));
    const paySession = await seedSession(stack, { rows: 1, perRow: 10, price: "12.50" });
    const facts = (seat: string) => {
      const holdId = randomUUID();
      return { orderId: orderIdForHold(holdId), holdId, buyerId: buyer.id, sessionId: paySession, areaId: "A", seatIds: [seat], expiresAt: Date.now() + 60_000 };
    };
    const started = ["A-1-1", "A-1-2", "A-1-3", "A-1-4", "A-1-5"].map(facts);
    const [declined, paid] = [facts("A-1-6"), facts("A-1-7")];
    await store.ensureMany([...started, declined, paid]);
    await sellMany(stack.db.sql, [{ orderId: paid.orderId, seatIds: paid.seatIds }], new Date());
    const event = (orderId: string, status: "pending" | "failed" | "succeeded", paymentId = randomUUID()) => ({
      subject: paymentSubject(status, paymentId),
      event: { type: "PaymentStatusChanged" as const, paymentId, orderId, buyerId: buyer.id, provider: "mock" as const, status, amount: { amount: "12.50", currency: "EUR" }, at: Date.now() },
    });
    const declinedPayment = randomUUID();
    const burst = [
      ...started.map((f) => event(f.orderId, "pending")),
      event(declined.orderId, "pending", declinedPayment),
      event(declined.orderId, "failed", declinedPayment),
      // A completed order's late start moves nothing and announces nothing.
      event(paid.orderId, "pending"),
      event(paid.orderId, "succeeded"),
    ];
    // Published together: the consumer takes them in batches.
    await Promise.all(burst.map(({ subject, event }) => publish(stack.bus, subject, PaymentEvent, event, { msgId: `${event.paymentId}:${event.status}` })));
    for (const f of started) await expect.poll(async () => (await orderRow(f.orderId))?.status, { timeout: 10_000 }).toBe("payment_pending");
    await expect.poll(async () => (await orderRow(declined.orderId))?.status, { timeout: 10_000 }).toBe("failed");
    expect((await orderRow(paid.orderId))!.status).toBe("completed");
    for (const f of started) {
      const announced = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.payment_pending.${f.orderId}` });
      expect(OrderEvent.parse(announced!.json())).toMatchObject({ orderId: f.orderId, status: "payment_pending", previous: "created" });
    }
    const failed = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.failed.${declined.orderId}` });
    expect(OrderEvent.parse(failed!.json())).toMatchObject({ status: "failed" });
    expect(await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.payment_pending.${paid.orderId}` })).toBeNull();

    // The batch handler alone (not its event-by-event fallback, which a throw would fall back to) does it all.
    const more = ["A-1-8", "A-1-9"].map(facts);
    await store.ensureMany(more);
    const handleBatch = createPaymentEventBatchHandler({ bus: stack.bus, sql: stack.db.sql, clock: Date.now, handleOne: () => Promise.reject(new Error("not one by one")) });
    await handleBatch(more.map((f) => ({ value: event(f.orderId, "pending").event, trace: newTraceContext(), msg: undefined as never })));
    for (const f of more) expect((await orderRow(f.orderId))!.status).toBe("payment_pending");

    // The statement itself: a replay moves nothing, says where each order is, and leaves out orders that do not exist.
    const replay = await moveMany(stack.db.sql, [started[0]!.orderId, declined.orderId, paid.orderId, started[0]!.orderId, randomUUID()], "payment_pending", new Date());
    expect(replay.map((t) => [t.order.id, t.changed, t.previous, t.order.status]).sort()).toEqual(
      [[started[0]!.orderId, false, null, "payment_pending"], [declined.orderId, false, null, "failed"], [paid.orderId, false, null, "completed"]].sort(),
    );
    for (const t of replay) expect(t.order).toEqual(await orderRow(t.order.id));
  });

  it("orders: a batch with a buyer PostgreSQL does not know fails whole and writes nothing", async () => {
    const store = createOrderStore(stack.db.db, stack.db.sql, createPriceBook(stack.db.db, { ttlMs: 60_000 }));
    const good = randomUUID();
    const bad = randomUUID();
    const facts = (holdId: string, buyerId: string) => ({ orderId: orderIdForHold(holdId), holdId, buyerId, sessionId, areaId: "A", seatIds: ["A-2-6"], expiresAt: Date.now() + 60_000 });
    const failure = await store.ensureMany([facts(good, buyer.id), facts(bad, randomUUID())]).catch((error: unknown) => error);
    expect(isPermanentOrderFailure(failure)).toBe(true);
    expect(await orderRow(orderIdForHold(good))).toBeUndefined();
    expect(await stack.db.db.select().from(orderItems).where(eq(orderItems.orderId, orderIdForHold(good)))).toHaveLength(0);
  });

  it("orders: expiry follows the hold — extended, then run out", async () => {
    const { holdId } = await hold(stack, sessionId, buyer.id, ["A-2-1"]);
    const orderId = orderIdForHold(holdId);
    await expect.poll(() => orderRow(orderId), { timeout: 5000 }).toBeDefined();
    const before = (await orderRow(orderId))!.expiresAt.getTime();
    await stack.seats.send({ type: "ExtendHold", commandId: randomUUID(), sessionId, areaId: "A", holdId, byMs: 3_000, now: Date.now() }, { timeoutMs: 5000 });
    await expect.poll(async () => (await orderRow(orderId))!.expiresAt.getTime(), { timeout: 5000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await orderRow(orderId))!.status, { timeout: 10_000 }).toBe("expired");
    const expired = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.expired.${orderId}` });
    expect(OrderEvent.parse(expired!.json())).toMatchObject({ status: "expired", previous: "created" });
  });

  it("orders: a poison event is set aside and the stream keeps flowing", async () => {
    const subject = seatEventSubject("locked", partitionOf(sessionId, "A", TEST_PARTITIONS));
    await stack.bus.js.publish(subject, new TextEncoder().encode('{"type":"SeatsHeld","oops":true}'));
    const { holdId } = await hold(stack, sessionId, buyer.id, ["A-1-9"]);
    await expect.poll(() => orderRow(orderIdForHold(holdId)), { timeout: 5000 }).toBeDefined();
  });

  it("orders: routes answer problem+json for what the caller can fix", async () => {
    const noToken = await service.app.inject({ method: "GET", url: `/v1/orders/${randomUUID()}` });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.headers["content-type"]).toContain("application/problem+json");
    const badCursor = await service.app.inject({ method: "GET", url: "/v1/me/orders?cursor=garbage", headers: { authorization: `Bearer ${buyer.token}` } });
    expect(badCursor.statusCode).toBe(400);
    const key = await service.app.inject({ method: "GET", url: "/v1/tickets/public-key" });
    expect(key.json()).toMatchObject({ algorithm: "Ed25519", publicKeyPem: expect.stringContaining("PUBLIC KEY") });
  });
});

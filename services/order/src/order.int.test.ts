import { randomUUID } from "node:crypto";
import { publish } from "@rush/bus";
import { OrderEvent, STREAMS, SeatEvent, orderIdForHold, partitionOf, seatEventSubject } from "@rush/contracts";
import { orderItems, orders } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderService, buildOrderService } from "./app.ts";
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

import { randomUUID } from "node:crypto";
import { STREAMS, orderIdForHold } from "@rush/contracts";
import { orderItems, orders, paymentEvents, payments, tickets } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderService, buildOrderService } from "../app.ts";
import { OrderConfig } from "../config.ts";
import { type PurchaseStack, type TestUser, seedSession, seedUser, startPurchaseStack } from "../testing/purchase-stack.ts";

/**
 * The repair pass against real servers. The rows are written as the seat engine's and payment
 * service's work would have left them when the order service's events were lost (terminated
 * after their retries, parked, never sent): nothing on the streams tells the order service.
 */
describe("order repair pass", () => {
  let database: TestDatabase;
  let stack: PurchaseStack;
  let service: OrderService;
  let buyer: TestUser;
  let sessionId: string;

  /** An order and its payment, as left behind when the order service missed what happened next. */
  async function paidOrder(seatIds: string[], payment: { status: "succeeded" | "refunded" | "failed"; sold?: boolean }, orderStatus: "created" | "payment_pending" = "payment_pending") {
    const orderId = orderIdForHold(randomUUID());
    await stack.db.db.insert(orders).values({
      id: orderId, holdId: randomUUID(), sessionId, buyerId: buyer.id, status: orderStatus, totalAmount: "20.00", currency: "EUR", expiresAt: new Date(Date.now() + 60_000),
    });
    await stack.db.db.insert(orderItems).values(seatIds.map((seatId) => ({ orderId, seatId, amount: "10.00", currency: "EUR" })));
    const [row] = await stack.db.db
      .insert(payments)
      .values({ orderId, provider: "mock", providerRef: `mock_${orderId}`, status: payment.status, amount: "20.00", currency: "EUR", idempotencyKey: `pay:${orderId}`, settledAt: new Date() })
      .returning();
    if (payment.sold) await stack.db.db.insert(paymentEvents).values({ paymentId: row!.id, status: "succeeded", detail: { settled: true, seats: "sold" } });
    return { orderId, paymentId: row!.id };
  }
  const orderStatus = async (orderId: string) => (await stack.db.db.select().from(orders).where(eq(orders.id, orderId)))[0]?.status;
  const ticketsOf = async (orderId: string) => (await stack.db.db.select().from(tickets).where(eq(tickets.orderId, orderId))).map((t) => t.seatId).sort();

  beforeAll(async () => {
    database = await testDatabase("repair");
    stack = await startPurchaseStack(database);
    await stack.spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    service = await buildOrderService({
      config: OrderConfig.parse({ ...stack.env, NODE_ENV: "test", REPAIR_EVERY_MS: "200", REPAIR_GRACE_MS: "0" }),
      bus: stack.bus,
      db: stack.db,
      logger: createLogger("repair-test", "silent"),
      metrics: createMetrics("repair-test"),
    });
    await service.start();
    buyer = await seedUser(stack);
    sessionId = await seedSession(stack, { rows: 3, perRow: 10 });
  });
  afterAll(async () => {
    await service?.stop();
    await service?.app.close();
    await stack?.close();
    await database?.drop();
  });

  it("repair: seats sold to a settled payment whose SeatsSold never arrived end completed, with a ticket per seat", async () => {
    const { orderId } = await paidOrder(["A-1-1", "A-1-2"], { status: "succeeded", sold: true }, "created");
    await expect.poll(() => orderStatus(orderId), { timeout: 10_000 }).toBe("completed");
    expect(await ticketsOf(orderId)).toEqual(["A-1-1", "A-1-2"]);
    const completed = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: `order.completed.${orderId}` });
    expect(completed?.json()).toMatchObject({ orderId, status: "completed", previous: "created" });
  });

  it("repair: a completed order missing a ticket gets it", async () => {
    const { orderId } = await paidOrder(["A-2-1", "A-2-2"], { status: "succeeded", sold: true });
    await stack.db.db.update(orders).set({ status: "completed" }).where(eq(orders.id, orderId));
    await expect.poll(() => ticketsOf(orderId), { timeout: 10_000 }).toEqual(["A-2-1", "A-2-2"]);
  });

  it("repair: a completed order whose seat has only another order's void ticket gets its own; one whose own ticket was voided is left alone", async () => {
    const gone = await paidOrder(["A-2-5", "A-2-6"], { status: "refunded" });
    await stack.db.db.insert(tickets).values(["A-2-5", "A-2-6"].map((seatId) => ({ id: randomUUID(), orderId: gone.orderId, sessionId, seatId, ownerId: buyer.id, status: "void" as const, voidReason: "refunded" as const })));
    const { orderId } = await paidOrder(["A-2-5"], { status: "succeeded", sold: true });
    await stack.db.db.update(orders).set({ status: "completed" }).where(eq(orders.id, orderId));
    await expect.poll(() => ticketsOf(orderId), { timeout: 10_000 }).toEqual(["A-2-5"]);
    // Its own ticket voided (resold, refunded away): the pass does not issue it again.
    const voidedOwn = await paidOrder(["A-2-7"], { status: "succeeded", sold: true });
    await stack.db.db.update(orders).set({ status: "completed" }).where(eq(orders.id, voidedOwn.orderId));
    await stack.db.db.insert(tickets).values({ id: randomUUID(), orderId: voidedOwn.orderId, sessionId, seatId: "A-2-7", ownerId: buyer.id, status: "void", voidReason: "resold" });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.db.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.orderId, voidedOwn.orderId))).toEqual([{ status: "void" }]);
  });

  it("repair: a seat already ticketed to another order is never ticketed twice; the later payment goes back to be refunded", async () => {
    const first = await paidOrder(["A-3-1"], { status: "succeeded", sold: true });
    await expect.poll(() => ticketsOf(first.orderId), { timeout: 10_000 }).toEqual(["A-3-1"]);
    const second = await paidOrder(["A-3-1"], { status: "succeeded", sold: true });
    await expect
      .poll(async () => (await stack.db.db.select().from(payments).where(eq(payments.id, second.paymentId)))[0], { timeout: 10_000 })
      .toMatchObject({ status: "refund_pending", reason: "double_sale" });
    expect(await ticketsOf(second.orderId)).toEqual([]);
    expect(await orderStatus(second.orderId)).toBe("payment_pending");
  });

  it("repair: an order that missed its payment's end says refunded or failed; an unsold settled payment is left alone", async () => {
    const refunded = await paidOrder(["A-3-5"], { status: "refunded" });
    const failed = await paidOrder(["A-3-6"], { status: "failed" });
    const unsold = await paidOrder(["A-3-7"], { status: "succeeded", sold: false });
    await expect.poll(() => orderStatus(refunded.orderId), { timeout: 10_000 }).toBe("refunded");
    await expect.poll(() => orderStatus(failed.orderId), { timeout: 10_000 }).toBe("failed");
    expect(await orderStatus(unsold.orderId)).toBe("payment_pending");
    expect(await ticketsOf(unsold.orderId)).toEqual([]);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { STREAMS, type WaitlistStatus, WaitlistStreamEvent } from "@rush/contracts";
import { users } from "@rush/db";
import { createLogger, createMetrics } from "@rush/service";
import { type TestDatabase, spawnService } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailService, buildMailService } from "../../mail/src/app.ts";
import { MailConfig } from "../../mail/src/config.ts";
import { type OrderService, buildOrderService } from "../../order/src/app.ts";
import { OrderConfig } from "../../order/src/config.ts";
import { type PaymentService, buildPaymentService } from "../../payment/src/app.ts";
import { PaymentConfig } from "../../payment/src/config.ts";
import { type Stack, TEST_JWT_SECRET, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";

/**
 * The waiting list across real servers: the ticket worker process keeps the list and makes the
 * offers; order (opens the offer's order), payment (sells it), mail (writes the offer to the dev
 * outbox) and the gate run in this process on the same NATS, Redis and PostgreSQL, which spares
 * three process start-ups. Holds and offers last 2-3 s so the test stays short.
 */
describe("waitlist (ticket worker + order + payment + mail + gate)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let gate: FastifyInstance;
  let order: OrderService;
  let payment: PaymentService;
  let mail: MailService;
  let outbox: string;
  let sessionId: string;
  const buyers: Record<"racer" | "first" | "second", { id: string; email: string; token: string }> = {} as never;

  const call = async (method: "GET" | "POST" | "DELETE", url: string, token: string, body?: object, headers: Record<string, string> = {}) => {
    const res = await gate.inject({ method, url, headers: { ...browserHeaders(token), ...headers }, ...(body ? { payload: body } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const waitlistOf = async (who: keyof typeof buyers) => (await call("GET", `/v1/sessions/${sessionId}/waitlist`, buyers[who].token)).body as WaitlistStatus;
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const offerOf = (who: keyof typeof buyers, timeoutMs?: number) =>
    until(`${who}'s offer`, async () => (await waitlistOf(who)).entries.find((e) => e.status === "offered"), timeoutMs);

  beforeAll(async () => {
    database = await testDatabase("waitlist");
    stack = await startStack(database);
    outbox = await mkdtemp(join(tmpdir(), "rush-waitlist-outbox-"));
    const env = { ...stack.env, JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: "test" };
    const common = (name: string) => ({ bus: stack.bus, db: stack.db, logger: createLogger(name, "silent"), metrics: createMetrics(name) });
    order = await buildOrderService({ config: OrderConfig.parse(env), ...common("order") });
    payment = await buildPaymentService({ config: PaymentConfig.parse(env), seats: stack.seats, redis: stack.redis, ...common("payment") });
    mail = await buildMailService({ config: MailConfig.parse({ ...env, OUTBOX_DIR: outbox }), ...common("mail") });
    await Promise.all([order.start(), mail.start()]);
    payment.start();
    const [orderUrl, paymentUrl] = await Promise.all([order.app.listen({ host: "127.0.0.1", port: 0 }), payment.app.listen({ host: "127.0.0.1", port: 0 })]);
    gate = await gateApp(stack, { ORDER_URL: orderUrl, PAYMENT_URL: paymentUrl, WAITLIST_OFFER_TTL_SECONDS: "3" });
    for (const who of ["racer", "first", "second"] as const) {
      const email = `${who}-${randomUUID()}@example.com`;
      const [row] = await stack.db.db.insert(users).values({ email, passwordHash: "x", displayName: who, roles: ["customer"] }).returning();
      buyers[who] = { id: row!.id, email, token: accessToken(row!.id) };
    }
    sessionId = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 2 }], holdTtlSeconds: 2, maxSeatsPerHold: 2, maxSeatsPerBuyer: 2 });
  });
  afterAll(async () => {
    await gate?.close();
    await Promise.all([order?.stop(), payment?.stop(), mail?.stop()]);
    await Promise.all([order?.app.close(), payment?.app.close(), mail?.app.close()]);
    await stack?.close();
    await database?.drop();
    if (outbox) await rm(outbox, { recursive: true, force: true });
  });

  it("waitlist: joining while seats are on sale is 409 (buy instead); bad input is 4xx and changes nothing", async () => {
    const join = (body: object, id = sessionId) => call("POST", `/v1/sessions/${id}/waitlist`, buyers.first.token, body);
    const available = await join({ quantity: 2 });
    expect(available.status, JSON.stringify(available.body)).toBe(409);
    expect(available.body).toMatchObject({ code: "seats_available", available: 2 });
    expect((await join({ quantity: 0 })).status).toBe(400);
    expect((await join({ quantity: 1, extra: true })).status).toBe(400);
    expect((await join({ quantity: 1, areaId: "Z" })).status).toBe(422);
    expect((await join({ quantity: 1 }, randomUUID())).status).toBe(404);
    expect((await call("POST", `/v1/sessions/${sessionId}/waitlist`, "not-a-token", { quantity: 1 })).status).toBe(401);
    expect((await call("DELETE", `/v1/sessions/${sessionId}/waitlist?areaId=bad-id`, buyers.first.token)).status).toBe(400);
    expect((await waitlistOf("first")).entries).toEqual([]);
  });

  it("waitlist: sold out → two join → a hold expires → the first is offered and mailed, lets it lapse → the second is offered, pays, gets tickets", async () => {
    const held = await call("POST", `/v1/sessions/${sessionId}/holds`, buyers.racer.token, { areaId: "A", quantity: 2 }, { "idempotency-key": randomUUID() });
    expect(held.status, JSON.stringify(held.body)).toBe(201);

    const first = await call("POST", `/v1/sessions/${sessionId}/waitlist`, buyers.first.token, { quantity: 2 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.entries).toMatchObject([{ areaId: "A", quantity: 2, status: "waiting", position: 1 }]);
    expect((await call("POST", `/v1/sessions/${sessionId}/waitlist`, buyers.second.token, { quantity: 2 })).body.entries[0].position).toBe(2);
    // Joining again keeps the first place (200, not 201).
    const again = await call("POST", `/v1/sessions/${sessionId}/waitlist`, buyers.first.token, { quantity: 1 });
    expect(again.status).toBe(200);
    expect(again.body.entries).toMatchObject([{ entryId: first.body.entries[0].entryId, quantity: 2, position: 1 }]);

    // The list survives its worker killed with SIGKILL: the new one replays the log, joins included.
    await stack.tickets[0]!.kill();
    stack.tickets[0] = await spawnService("ticket", { ...stack.env, WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
    // The racer's hold expires: its seats go straight to the first buyer, not back to the map.
    const offer = await offerOf("first", 30_000);
    expect(offer).toMatchObject({ seatIds: ["A-1-1", "A-1-2"], holdId: first.body.entries[0].entryId });
    const racer = await call("POST", `/v1/sessions/${sessionId}/holds`, buyers.racer.token, { seatIds: ["A-1-1"] }, { "idempotency-key": randomUUID() });
    expect(racer.status, JSON.stringify(racer.body)).toBe(409);
    expect((await waitlistOf("second")).entries[0]).toMatchObject({ status: "waiting", position: 1 });

    const mails = async () => ((await mail.app.inject("/dev/outbox.json")).json() as { items: { template: string; to: string }[] }).items;
    await until("the offer e-mail", async () => (await mails()).find((m) => m.template === "waitlist-offer" && m.to === buyers.first.email));

    // The first buyer lets the offer lapse: the seats pass to the second, who pays through the normal flow.
    const second = await offerOf("second");
    expect((await waitlistOf("first")).entries[0]).toMatchObject({ status: "lapsed" });
    const paid = await call("POST", `/v1/orders/${second.orderId}/pay`, buyers.second.token, {});
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const tickets = await until("the second buyer's tickets", async () => {
      const mine = await call("GET", "/v1/me/tickets", buyers.second.token);
      return mine.body?.items?.length === 2 ? (mine.body.items as { seatId: string }[]) : undefined;
    });
    expect(tickets.map((t) => t.seatId).sort()).toEqual(["A-1-1", "A-1-2"]);
    expect((await waitlistOf("second")).entries[0]).toMatchObject({ status: "bought" });

    // The stream tells the story, replayable: two joins, two offers, in that order.
    const consumer = await stack.bus.js.consumers.get(STREAMS.seatEvents, { filter_subjects: "seat.waitlist.>" });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const message = await consumer.next({ expires: 5_000 });
      const event = WaitlistStreamEvent.parse(message!.json());
      seen.push(`${event.type}:${event.buyerId === buyers.first.id ? "first" : "second"}`);
    }
    expect(seen).toEqual(["WaitlistJoined:first", "WaitlistJoined:second", "WaitlistOffered:first", "WaitlistOffered:second"]);
  });

  it("waitlist: in a session of several areas a join names one; a buyer may wait in each sold-out area, and an offer in one leaves the other waiting (no session-wide join yet)", async () => {
    const twoAreas = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 1 }, { id: "B", rows: 1, perRow: 1 }], holdTtlSeconds: 600, maxSeatsPerHold: 2, maxSeatsPerBuyer: 2 });
    const holds: Record<string, string> = {};
    for (const areaId of ["A", "B"]) {
      const held = await call("POST", `/v1/sessions/${twoAreas}/holds`, buyers.racer.token, { areaId, quantity: 1 }, { "idempotency-key": randomUUID() });
      expect(held.status, JSON.stringify(held.body)).toBe(201);
      holds[areaId] = held.body.holdId;
    }
    const join = (body: object) => call("POST", `/v1/sessions/${twoAreas}/waitlist`, buyers.first.token, body);
    const anyArea = await join({ quantity: 1 });
    expect(anyArea.status).toBe(400);
    expect(anyArea.body).toMatchObject({ code: "area_required", areas: ["A", "B"] });
    expect((await join({ quantity: 1, areaId: "A" })).status).toBe(201);
    const both = await join({ quantity: 1, areaId: "B" });
    expect(both.status).toBe(201);
    const byArea = (status: WaitlistStatus) => Object.fromEntries(status.entries.map((e) => [e.areaId, [e.status, e.position ?? null]]));
    expect(byArea(both.body)).toEqual({ A: ["waiting", 1], B: ["waiting", 1] });

    // B's seat comes back: offered in B; the entry in A is not withdrawn (docs/waitlist.md, Limits).
    expect((await call("DELETE", `/v1/holds/${holds.B}`, buyers.racer.token)).status).toBe(204);
    const status = await until("the offer in B", async () => {
      const current = (await call("GET", `/v1/sessions/${twoAreas}/waitlist`, buyers.first.token)).body as WaitlistStatus;
      return current.entries.some((e) => e.areaId === "B" && e.status === "offered") ? current : undefined;
    });
    expect(byArea(status)).toEqual({ A: ["waiting", 1], B: ["offered", null] });
    expect((await call("DELETE", `/v1/sessions/${twoAreas}/waitlist?areaId=A`, buyers.first.token)).status).toBe(204);
  });

  it("waitlist: leaving is idempotent (204) and takes the buyer off the list", async () => {
    const held = await call("POST", `/v1/sessions/${sessionId}/holds`, buyers.racer.token, { areaId: "A", quantity: 1 }, { "idempotency-key": randomUUID() });
    expect([201, 409]).toContain(held.status);
    expect((await call("POST", `/v1/sessions/${sessionId}/waitlist`, buyers.first.token, { quantity: 1 })).status).toBe(201);
    expect((await call("DELETE", `/v1/sessions/${sessionId}/waitlist`, buyers.first.token)).status).toBe(204);
    expect((await call("DELETE", `/v1/sessions/${sessionId}/waitlist?areaId=A`, buyers.first.token)).status).toBe(204);
    expect((await waitlistOf("first")).entries.filter((e) => e.status === "waiting")).toEqual([]);
  });
});

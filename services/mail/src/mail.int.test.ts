import { randomUUID } from "node:crypto";
import { type Bus, connectBus, ensureTopology, loadTopology, publish } from "@rush/bus";
import { OrderEvent, type OrderStatus, STREAMS, TicketEvent, UserEvent, orderSubject, ticketSubject, userSubject } from "@rush/contracts";
import { type Db, createDb, events, mailDeliveries, orders, runMigrations, sessions, tickets, users, venues } from "@rush/db";
import { createLogger, createMetrics, createTicketSigner } from "@rush/service";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NatsServer, type TestDatabase, spawnService, startNats } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type MailService, buildMailService } from "./app.ts";
import { MailConfig } from "./config.ts";
import { type SmtpListener, startSmtpListener } from "./testing/smtp-listener.ts";

const WAIT = { timeout: 20_000, interval: 100 };

describe("mail worker", () => {
  let database: TestDatabase;
  let nats: NatsServer;
  let smtp: SmtpListener;
  let bus: Bus;
  let db: Db;
  const instances: { service: MailService; bus: Bus; db: Db }[] = [];
  const ids = { buyer: randomUUID(), friend: randomUUID(), session: randomUUID(), order: randomUUID() };
  const config = () => MailConfig.parse({ NODE_ENV: "test", SMTP_URL: smtp.url, MAIL_CONCURRENCY: "4" });

  async function startInstance() {
    const instanceBus = await connectBus({ servers: nats.url, name: "mail-test" });
    const instanceDb = createDb(database.url, { max: 2 });
    const service = await buildMailService({ config: config(), bus: instanceBus, db: instanceDb, logger: createLogger("mail-test", "silent"), metrics: createMetrics("mail") });
    await service.start();
    instances.push({ service, bus: instanceBus, db: instanceDb });
  }

  const orderEvent = (status: OrderStatus, orderId = ids.order): OrderEvent => ({
    type: "OrderStatusChanged", orderId, holdId: randomUUID(), buyerId: ids.buyer, sessionId: ids.session, status, previous: null,
    total: { amount: "90.00", currency: "EUR" }, at: Date.now(),
  });
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    database = await testDatabase("mail");
    [nats, smtp] = await Promise.all([startNats(), startSmtpListener(), runMigrations(database.url)]);
    bus = await connectBus({ servers: nats.url, name: "mail-test-client" });
    await ensureTopology(bus, await loadTopology());
    db = createDb(database.url, { max: 2 });
    await db.db.insert(users).values([
      { id: ids.buyer, email: "buyer@example.com", passwordHash: "x", displayName: "Buyer <B>" },
      { id: ids.friend, email: "friend@example.com", passwordHash: "x", displayName: "Friend" },
    ]);
    const [venue] = await db.db.insert(venues).values({ ownerId: ids.buyer, name: "Hall", address: "X", seatMap: { areas: [] }, capacity: 2 }).returning();
    const [event] = await db.db.insert(events).values({ venueId: venue!.id, organizerId: ids.buyer, name: "Gala", category: "music" }).returning();
    const now = Date.now();
    await db.db.insert(sessions).values({
      id: ids.session, eventId: event!.id, startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 90_000_000),
      saleStartsAt: new Date(now - 10_000), saleEndsAt: new Date(now + 3_600_000),
    });
    await db.db.insert(orders).values({ id: ids.order, holdId: randomUUID(), sessionId: ids.session, buyerId: ids.buyer, status: "completed", totalAmount: "90.00", currency: "EUR", expiresAt: new Date(now) });
    await db.db.insert(tickets).values(["A-1-1", "A-1-2"].map((seatId) => ({ orderId: ids.order, sessionId: ids.session, seatId, ownerId: ids.buyer })));
    // Two instances on the shared consumers: a duplicate may reach both at once.
    await startInstance();
    await startInstance();
  });
  afterAll(async () => {
    for (const { service, bus: b, db: d } of instances) {
      await service.stop();
      await service.app.close();
      await b.close();
      await d.close();
    }
    await bus?.close();
    await db?.close();
    await Promise.all([nats?.dispose(), smtp?.close()]);
    await database?.drop();
  });

  it("mail: an order confirmation goes out once, with every ticket's QR inline, though its event arrives three times", async () => {
    const event = orderEvent("completed");
    // The same event under three message ids: what a replay or a republish looks like to the worker.
    for (const msgId of ["a", "b", "c"]) await publish(bus, orderSubject("completed", ids.order), OrderEvent, event, { msgId: `${ids.order}:${msgId}` });
    await vi.waitFor(() => expect(mailsTo("buyer@example.com").length).toBe(1), WAIT);
    await vi.waitFor(async () => expect((await bus.jsm.consumers.info(STREAMS.orders, "mail-orders")).num_pending + (await bus.jsm.consumers.info(STREAMS.orders, "mail-orders")).num_ack_pending).toBe(0), WAIT);
    const [mail] = mailsTo("buyer@example.com");
    expect(mail!.raw).toContain("Subject: Your tickets for Gala");
    expect(mail!.raw.match(/Content-Type: image\/png/gi)).toHaveLength(2);
    // The QR in the e-mail is one the door accepts: signed with the ticket key, naming a real ticket.
    const signer = createTicketSigner(config().TICKET_SIGNING_KEY);
    const qrs = [...new Set(mail!.body.match(/RT2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g) ?? [])];
    expect(qrs).toHaveLength(2);
    const rows = await db.db.select().from(tickets).where(eq(tickets.orderId, ids.order));
    for (const qr of qrs) expect(rows.map((r) => r.id)).toContain(signer.verify(qr)?.ticketId);
    const [row] = await db.db.select().from(mailDeliveries).where(eq(mailDeliveries.key, `order-confirmation:${ids.order}`));
    expect(row?.status).toBe("sent");
  });

  it("mail: a send the SMTP server refuses is retried with backoff until it is accepted, and sent once", async () => {
    smtp.failNext(2);
    const refusedBefore = smtp.refused;
    await publish(bus, orderSubject("refunded", ids.order), OrderEvent, orderEvent("refunded"), { msgId: `${ids.order}:refunded` });
    await vi.waitFor(() => expect(mailsTo("buyer@example.com").filter((m) => m.raw.includes("Subject: Refund issued")).length).toBe(1), WAIT);
    expect(smtp.refused - refusedBefore).toBe(2);
  });

  it("mail: a malformed message is parked in DEAD_LETTERS and the messages behind it are still mailed", async () => {
    await bus.js.publish(orderSubject("completed", randomUUID()), new TextEncoder().encode('{"type":"OrderStatusChanged","orderId":"nope"}'));
    const verify: UserEvent = {
      type: "EmailVerificationRequested", eventId: randomUUID(), userId: ids.friend, email: "friend@example.com", displayName: "Friend",
      token: "verify-token-verify-token-0123456789", expiresAt: Date.now() + 3_600_000, at: Date.now(),
    };
    await publish(bus, userSubject("verify-email", ids.friend), UserEvent, verify);
    await publish(bus, userSubject("verify-email", ids.friend), UserEvent, verify);
    await vi.waitFor(() => expect(mailsTo("friend@example.com").filter((m) => m.raw.includes("Confirm your e-mail address")).length).toBe(1), WAIT);
    expect(mailsTo("friend@example.com").find((m) => m.raw.includes("Confirm"))!.body).toContain("/verify-email#token=verify-token-verify-token-0123456789");
    await vi.waitFor(async () => expect((await bus.jsm.streams.info(STREAMS.deadLetters, { subjects_filter: ">" })).state.subjects?.["dead.mail-orders"]).toBe(1), WAIT);
  });

  it("mail: a transferred ticket's new owner gets its new QR; a transfer already passed on mails nothing", async () => {
    const [ticket] = await db.db.update(tickets).set({ ownerId: ids.friend, version: 2 }).where(eq(tickets.seatId, "A-1-1")).returning();
    const transferred: TicketEvent = {
      type: "TicketTransferred", ticketId: ticket!.id, sessionId: ids.session, seatId: "A-1-1", version: 2, fromUserId: ids.buyer, toUserId: ids.friend, at: Date.now(),
    };
    // Version 1's event names an owner the ticket no longer has: skipped, not mailed.
    await publish(bus, ticketSubject("transferred", ticket!.id), TicketEvent, { ...transferred, version: 1, toUserId: ids.buyer });
    await publish(bus, ticketSubject("transferred", ticket!.id), TicketEvent, transferred);
    await vi.waitFor(() => expect(mailsTo("friend@example.com").filter((m) => m.raw.includes("sent you a ticket")).length).toBe(1), WAIT);
    const mail = mailsTo("friend@example.com").find((m) => m.raw.includes("sent you a ticket"))!;
    const qr = mail.body.match(/RT2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/)?.[0];
    expect(createTicketSigner(config().TICKET_SIGNING_KEY).verify(qr!)).toMatchObject({ ticketId: ticket!.id, version: 2 });
    expect(mailsTo("buyer@example.com").filter((m) => m.raw.includes("sent you a ticket"))).toHaveLength(0);
  });

  it("mail: a resold ticket's seller is told once that the face value goes back", async () => {
    const resold: TicketEvent = {
      type: "TicketResold", listingId: randomUUID(), ticketId: randomUUID(), newTicketId: randomUUID(), sessionId: ids.session, seatId: "A-1-9",
      sellerId: ids.buyer, buyerId: ids.friend, orderId: randomUUID(), price: { amount: "45.00", currency: "EUR" }, at: Date.now(),
    };
    await publish(bus, ticketSubject("resold", resold.ticketId), TicketEvent, resold);
    await publish(bus, ticketSubject("resold", resold.ticketId), TicketEvent, resold);
    await vi.waitFor(() => expect(mailsTo("buyer@example.com").filter((m) => m.raw.includes("was resold")).length).toBe(1), WAIT);
    expect(mailsTo("buyer@example.com").find((m) => m.raw.includes("was resold"))!.body).toContain("45.00 EUR go back to how you paid");
  });

  it("mail: the service process boots without SMTP in development and its outbox page lists what it sent", async () => {
    // The in-process instances share the durable consumers: closed, so the spawned process gets the event.
    for (const { service: s, bus: b, db: d } of instances.splice(0)) {
      await s.stop();
      await s.app.close();
      await b.close();
      await d.close();
    }
    const outbox = await mkdtemp(join(tmpdir(), "rush-outbox-"));
    const service = await spawnService("mail", { NODE_ENV: "development", NATS_URL: nats.url, DATABASE_URL: database.url, OUTBOX_DIR: outbox, LOG_LEVEL: "warn" });
    try {
      const reset: UserEvent = {
        type: "PasswordResetRequested", eventId: randomUUID(), userId: ids.buyer, email: "buyer@example.com", displayName: "Buyer",
        token: "reset-token-reset-token-0123456789", expiresAt: Date.now() + 3_600_000, at: Date.now(),
      };
      await publish(bus, userSubject("password-reset", ids.buyer), UserEvent, reset);
      const list = async () => (await (await fetch(`${service.url}/dev/outbox.json`)).json()) as { items: { template: string; to: string }[] };
      await vi.waitFor(async () => expect((await list()).items).toContainEqual(expect.objectContaining({ template: "password-reset", to: "buyer@example.com" })), WAIT);
      const page = await fetch(`${service.url}/dev/outbox`);
      expect(await page.text()).toContain("Reset your password");
    } finally {
      await service.stop();
      await rm(outbox, { recursive: true, force: true });
    }
  });
});

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { KV_BUCKETS, STREAMS, seatCommandSubject } from "@rush/contracts";
import { type NatsServer, REPO_ROOT, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bus, connectBus, credentialsOf } from "./connection.ts";
import { ensureTopology, loadTopology } from "./topology.ts";

const SERVICES = ["ticket", "gate", "catalog", "payment", "order", "notification", "mail"] as const;
type Service = (typeof SERVICES)[number];

describe("nats permissions (the deployment's config)", () => {
  let nats: NatsServer;
  // A letter first, as permissions.conf asks: the server parses "7e…" as a number and stops.
  const passwords = Object.fromEntries(SERVICES.map((s) => [s, `p${randomBytes(12).toString("hex")}`])) as Record<Service, string>;
  const buses: Bus[] = [];
  const urlOf = (service: Service, password = passwords[service]) => `nats://${service}:${password}@127.0.0.1:${nats.port}`;
  const as = async (service: Service) => {
    const bus = await connectBus({ servers: urlOf(service), name: `perm-${service}` });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    const permissions = await readFile(join(REPO_ROOT, "nats/deploy/permissions.conf"), "utf8");
    // The deployment's file as it is, its passwords from the environment as in a deployment.
    const env = Object.fromEntries(SERVICES.map((s) => [`NATS_${s.toUpperCase()}_PASSWORD`, passwords[s]]));
    nats = await startNats({ config: "include permissions.conf", files: { "permissions.conf": permissions }, env });
    await ensureTopology(await as("ticket"), await loadTopology());
  });
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await nats?.dispose();
  });

  it("permissions: no anonymous access, and a wrong password is refused", async () => {
    await expect(connectBus({ servers: `nats://127.0.0.1:${nats.port}`, name: "anonymous" })).rejects.toThrow(/Authorization/i);
    await expect(connectBus({ servers: urlOf("order", "guess"), name: "wrong" })).rejects.toThrow(/Authorization/i);
  });

  it("permissions: the order service's user cannot publish seat commands; the gate's can", async () => {
    const [order, gate] = await Promise.all([as("order"), as("gate")]);
    const subject = seatCommandSubject(3);
    const before = (await gate.jsm.streams.info(STREAMS.seatCommands)).state.messages;
    await expect(order.js.publish(subject, "{}", { timeout: 2000 })).rejects.toThrow();
    // A plain publish is dropped by the server (a permissions violation), not stored.
    order.nc.publish(subject, "{}");
    await order.nc.flush();
    expect((await gate.jsm.streams.info(STREAMS.seatCommands)).state.messages).toBe(before);
    await gate.js.publish(subject, "{}", { timeout: 5000 });
    expect((await gate.jsm.streams.info(STREAMS.seatCommands)).state.messages).toBe(before + 1);
  });

  it("permissions: only the ticket workers write seat events and snapshots; payment may not write orders", async () => {
    const [ticket, order, payment] = await Promise.all([as("ticket"), as("order"), as("payment")]);
    await expect(order.js.publish("seat.sold.3", "{}", { timeout: 2000 })).rejects.toThrow();
    await expect(payment.js.publish("order.completed.x", "{}", { timeout: 2000 })).rejects.toThrow();
    await ticket.js.publish("seat.sold.3", "{}", { timeout: 5000 });
    await expect(order.js.publish("$KV.seat_snapshots.p3", "{}", { timeout: 2000 })).rejects.toThrow();
  });

  it("permissions: what each service does is allowed: consume and ack its events, ticket KV, payment's order wait", async () => {
    const [ticket, order, notification, payment] = await Promise.all([as("ticket"), as("order"), as("notification"), as("payment")]);
    await ticket.js.publish("seat.locked.5", '{"probe":1}', { timeout: 5000 });
    await ticket.js.publish("seat.waitlist.5", '{"probe":2}', { timeout: 5000 });
    for (const [bus, durable] of [[order, "order-seat-events"], [notification, "notification-waitlist"]] as const) {
      const consumer = await bus.js.consumers.get(STREAMS.seatEvents, durable);
      const message = await consumer.next({ expires: 5000 });
      expect(message?.subject, durable).toMatch(/^seat\./);
      expect(await message!.ackAck(), durable).toBe(true);
    }
    const kv = await ticket.kvm.open(KV_BUCKETS.partitionLeases);
    await kv.put("p5", "w1");
    expect((await kv.get("p5"))?.string()).toBe("w1");
    const seen = new Promise<string>((resolve) => payment.nc.subscribe("order.created.*", { max: 1, callback: (_e, m) => resolve(m.subject) }));
    await payment.nc.flush();
    await order.js.publish("order.created.o1", "{}", { timeout: 5000 });
    expect(await seen).toBe("order.created.o1");
    // Each notification instance reads order.> through its own ordered consumer.
    const orders = await notification.js.consumers.get(STREAMS.orders, { filter_subjects: "order.>" });
    expect((await orders.next({ expires: 5000 }))?.subject).toBe("order.created.o1");
  });

  it("permissions: the mail worker reads what the catalog and order service ask it to send, and parks what it cannot", async () => {
    const [catalog, order, mail] = await Promise.all([as("catalog"), as("order"), as("mail")]);
    await catalog.js.publish("user.verify-email.u1", "{}", { timeout: 5000 });
    await order.js.publish("ticket.transferred.t1", "{}", { timeout: 5000 });
    for (const [stream, durable, subject] of [[STREAMS.users, "mail-users", "user.verify-email.u1"], [STREAMS.tickets, "mail-tickets", "ticket.transferred.t1"]] as const) {
      const message = await (await mail.js.consumers.get(stream, durable)).next({ expires: 5000 });
      expect(message?.subject, durable).toBe(subject);
      expect(await message!.ackAck(), durable).toBe(true);
    }
    await mail.js.publish("dead.mail-users", "{}", { timeout: 5000 });
    await expect(mail.js.publish("order.completed.o1", "{}", { timeout: 2000 })).rejects.toThrow();
    await expect(catalog.js.publish("ticket.transferred.t2", "{}", { timeout: 2000 })).rejects.toThrow();
  });

  it("permissions: payment asks the order service to complete a resale (resale.confirm); the order service answers and records it on TICKETS", async () => {
    const [order, payment, gate] = await Promise.all([as("order"), as("payment"), as("gate")]);
    const sub = order.nc.subscribe("resale.confirm", { queue: "order-resale-confirm", callback: (_e, m) => void m.respond(new TextEncoder().encode("sold")) });
    await order.nc.flush();
    expect(new TextDecoder().decode((await payment.nc.request("resale.confirm", "{}", { timeout: 5000 })).data)).toBe("sold");
    await order.js.publish("ticket.resold.t1", "{}", { timeout: 5000 });
    await expect(payment.js.publish("ticket.resold.t2", "{}", { timeout: 2000 })).rejects.toThrow();
    // Nobody else may sell a listed ticket: the gate's user cannot ask.
    await expect(gate.nc.request("resale.confirm", "{}", { timeout: 1000 })).rejects.toThrow();
    sub.unsubscribe();
  });

  it("permissions: credentials travel in NATS_URL and are taken out of the server list", () => {
    expect(credentialsOf("nats://order:p%40ss@nats:4222")).toEqual({ servers: ["nats://nats:4222"], user: "order", pass: "p@ss" });
    expect(credentialsOf("nats://127.0.0.1:4222")).toEqual({ servers: ["nats://127.0.0.1:4222"] });
  });
});

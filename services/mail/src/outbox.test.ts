import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxRoutes } from "./outbox-routes.ts";
import { orderConfirmation, verifyEmail } from "./templates/index.ts";
import { outboxTransport } from "./transport.ts";

describe("outbox", () => {
  let dir: string;
  let app: FastifyInstance;
  let confirmationId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rush-outbox-"));
    let now = Date.parse("2026-12-02T10:00:00Z");
    const outbox = outboxTransport(dir, "Rush <tickets@rush.localhost>", () => now++);
    const ticket = { id: "11111111-1111-4111-8111-111111111111", seatId: "A-1-1", qr: "RT2.payload.signature" };
    const confirmation = orderConfirmation({
      to: "buyer@example.com", name: "Buyer", eventName: "<Gala>", venueName: "Hall", startsAt: new Date(now), appUrl: "http://127.0.0.1:8080",
      orderId: "o-1", total: { amount: "10.00", currency: "EUR" }, tickets: [ticket],
    });
    confirmationId = (await outbox.send(confirmation, { key: "order-confirmation:o-1", template: "order-confirmation" })).messageId;
    const verify = verifyEmail({ to: "new@example.com", name: "New", token: "t".repeat(43), expiresAt: new Date(now + 3_600_000), appUrl: "http://127.0.0.1:8080" });
    await outbox.send(verify, { key: "verify-email:e-1", template: "verify-email" });
    outbox.close();
    app = Fastify();
    await app.register(outboxRoutes, { dir });
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("outbox: keeps each message as an .eml a mail client opens, with the QR as an inline PNG", async () => {
    const eml = await readFile(join(dir, `${confirmationId}.eml`), "utf8");
    expect(eml).toContain("To: buyer@example.com");
    expect(eml).toMatch(/Content-Type: image\/png/i);
    expect(eml).toContain("Content-ID: <ticket-11111111-1111-4111-8111-111111111111@rush>");
    expect(eml).toMatch(/Content-Type: text\/plain/i);
    expect(eml).toMatch(/Content-Type: text\/html/i);
  });

  it("outbox: /dev/outbox lists every message, newest first, subjects escaped", async () => {
    const page = await app.inject({ url: "/dev/outbox" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("Your tickets for &lt;Gala&gt;");
    expect(page.body.indexOf("Confirm your e-mail address")).toBeLessThan(page.body.indexOf("Your tickets for"));
    const list = await app.inject({ url: "/dev/outbox.json" });
    expect(list.json().items.map((m: { template: string }) => m.template)).toEqual(["verify-email", "order-confirmation"]);
  });

  it("outbox: one message shows its HTML with the QR images inlined, and its raw .eml", async () => {
    const shown = await app.inject({ url: `/dev/outbox/${confirmationId}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('src="data:image/png;base64,');
    expect(shown.body).not.toContain("cid:");
    expect(shown.headers["content-security-policy"]).toContain("default-src 'none'");
    const raw = await app.inject({ url: `/dev/outbox/${confirmationId}/eml` });
    expect(raw.headers["content-type"]).toContain("message/rfc822");
  });

  it("outbox: an unknown or malformed id is a 404 problem, never a path outside the folder", async () => {
    for (const url of ["/dev/outbox/nope", "/dev/outbox/..%2F..%2Fetc%2Fpasswd", "/dev/outbox/nope/eml"]) {
      const answer = await app.inject({ url });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers["content-type"]).toContain("application/problem+json");
    }
  });
});

import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, createDb } from "@rush/db";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Stripe at the HTTP boundary (the payment service's own test support): the provider's record of every refund.
import { RECORDED_INTENT, type RecordedStripe, startRecordedStripe } from "../../../services/payment/src/testing/recorded-stripe.ts";
import { ADMIN, type Api, apiOf, createSale, login, payOrder, registerBuyer } from "./e2e/seed.ts";
import { type Stack, startStack } from "./e2e/stack.ts";

/** The payment reconciler's period here: a cancellation's refunds are its work. */
const RECONCILE_EVERY_MS = 500;
/** Bounded waits on what the services do in the background (a loaded 2-core machine). */
const WAIT = { timeout: 60_000, interval: 250 };

interface Buyer {
  name: string;
  email: string;
  token: string;
}
interface Ticket {
  id: string;
  sessionId: string;
  seatId: string;
  status: string;
  qr: string;
}
/** What the mail worker keeps in the development outbox for each message (`services/mail/src/transport.ts`). */
interface Kept {
  key: string;
  template: string;
  to: string;
  text: string;
  html: string;
  images: Record<string, string>;
}

/**
 * Issue 15's done-when, end to end over the public API on the gate, every service a real
 * process (the mail worker writing to a development outbox; payments through the real Stripe SDK
 * against Stripe's recorded answers, so the provider's side of every refund is on record): a
 * session sells out; W joins the waiting list; R resells a ticket to B; an organizer refunds F, which offers F's seats to W, who
 * pays and gets the e-mail with the tickets; the organizer cancels the session: every completed
 * order is refunded once and e-mailed, and no QR issued here opens the door.
 */
describe("after the sale: waiting list, resale, refund, cancellation, e-mail and the door", () => {
  let database: TestDatabase;
  let stack: Stack;
  let api: Api;
  let pg: Db;
  let outboxDir: string;
  let stripe: RecordedStripe;
  let organizer: Buyer;
  let staffToken: string;
  let sessionId: string;
  const buyers: Record<"R" | "F" | "X" | "W" | "B", Buyer> = {} as never;
  /** Every QR code issued in this test, by whom it was shown to. */
  const issued: { owner: string; ticket: Ticket }[] = [];
  const orderOf: Partial<Record<keyof typeof buyers, string>> = {};

  const as = (who: Buyer) => ({ token: who.token });
  const ticketsOf = async (who: Buyer): Promise<Ticket[]> => {
    const answer = await api<{ items: Ticket[] }>("GET", "/v1/me/tickets", as(who));
    expect(answer.status).toBe(200);
    return answer.body.items.filter((t) => t.sessionId === sessionId);
  };
  const remember = async (who: Buyer) => {
    for (const ticket of await ticketsOf(who)) if (!issued.some((i) => i.ticket.qr === ticket.qr)) issued.push({ owner: who.name, ticket });
  };
  const door = (qr: string) => api<{ code?: string; ticketId?: string }>("POST", "/v1/tickets/verify", { token: staffToken, body: { qr } });
  /** Each order's PaymentIntent at the recorded Stripe. */
  const intentOf = (orderId: string) => `pi_rush${orderId.replaceAll("-", "").slice(0, 20)}`;
  /** Pays by card through Stripe: the recorded Stripe answers this order's create and confirm as test mode did. */
  const pay = (who: Buyer, orderId: string) => {
    const intent = intentOf(orderId);
    stripe.answer("POST /v1/payment_intents", [{ fixture: "payment-intent-created", replace: { [RECORDED_INTENT]: intent } }], { "metadata[orderId]": orderId });
    stripe.answer(`POST /v1/payment_intents/${intent}/confirm`, [{ fixture: "payment-intent-succeeded", replace: { [RECORDED_INTENT]: intent } }]);
    return payOrder(api, orderId, { ...as(who), body: { provider: "stripe", method: "pm_card_visa" }, headers: { "idempotency-key": randomUUID() } });
  };
  /** The refunds Stripe was asked for, per PaymentIntent: one entry per idempotency key (an SDK retry repeats its key). */
  const stripeRefunds = () => {
    const byKey = new Map<string, { intent: string; amount: string }>();
    for (const r of stripe.requests) {
      if (r.method === "POST" && r.path === "/v1/refunds") byKey.set(r.idempotencyKey ?? "", { intent: r.form.get("payment_intent") ?? "", amount: r.form.get("amount") ?? "" });
    }
    return [...byKey].map(([key, refund]) => ({ key, ...refund }));
  };

  /** Holds `quantity` seats and pays for them, as a buyer on the seat map does. */
  async function buy(who: Buyer, quantity: number): Promise<string> {
    const held = await api<{ orderId: string; seats: { id: string }[] }>("POST", `/v1/sessions/${sessionId}/holds`, {
      ...as(who),
      body: { areaId: "S01", quantity },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const paid = await pay(who, held.body.orderId);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe("completed");
    return held.body.orderId;
  }

  /** The outbox's messages as the mail worker wrote them (one `.json` beside each `.eml`). */
  async function outbox(): Promise<Kept[]> {
    const names = (await readdir(outboxDir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(outboxDir, n), "utf8")) as Kept));
  }
  const mailsTo = async (who: Buyer, template: string) => (await outbox()).filter((m) => m.to.includes(who.email) && m.template === template);

  /** Each payment of the session with its order and how many times it reached `refunded`. */
  const money = () =>
    pg.sql<{ order_id: string; buyer_id: string; kind: string; order_status: string; payment_status: string; reason: string | null; refunds: number }[]>`
      select o.id as order_id, o.buyer_id, o.kind, o.status as order_status, p.status as payment_status, p.reason,
             (select count(*)::int from payment_events e where e.payment_id = p.id and e.status = 'refunded') as refunds
        from orders o join payments p on p.order_id = o.id
       where o.session_id = ${sessionId}`;

  beforeAll(async () => {
    database = await testDatabase("after_sale");
    outboxDir = await mkdtemp(join(tmpdir(), "rush-outbox-"));
    stripe = await startRecordedStripe();
    stripe.answer("POST /v1/refunds", [{ fixture: "refund-succeeded" }]);
    stack = await startStack(database, {
      outboxDir,
      env: {
        payment: {
          RECONCILE_EVERY_MS: String(RECONCILE_EVERY_MS),
          STRIPE_SECRET_KEY: "sk_test_rush",
          STRIPE_WEBHOOK_SECRET: "whsec_rush_after_sale",
          STRIPE_API_BASE: stripe.url,
        },
      },
    });
    api = apiOf(stack.gate.url);
    pg = createDb(database.url, { max: 2 });
    const admin = await login(api, ADMIN.email, ADMIN.password);
    // An organizer of their own, and a door scanner who works for them, as an admin sets them up.
    const signedUp = await registerBuyer(api, "Olga");
    const me = await api<{ id: string }>("GET", "/v1/me", { token: signedUp.token });
    expect((await api("POST", `/v1/users/${me.body.id}/roles`, { token: admin, body: { roles: ["organizer"] } })).status).toBe(200);
    organizer = { name: "organizer", email: signedUp.email, token: await login(api, signedUp.email, signedUp.password) };
    const scanner = await registerBuyer(api, "Sam");
    const scannerId = (await api<{ id: string }>("GET", "/v1/me", { token: scanner.token })).body.id;
    const granted = await api("POST", `/v1/users/${scannerId}/roles`, { token: admin, body: { roles: ["staff"], staffOf: me.body.id } });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    staffToken = await login(api, scanner.email, scanner.password);
    for (const name of ["R", "F", "X", "W", "B"] as const) buyers[name] = { name, ...(await registerBuyer(api, `Buyer${name}`)) };
    // Four seats: small enough to sell out with four buyers.
    ({ sessionId } = await createSale(api, organizer.token, { areas: 1, rows: 1, perRow: 4, name: `After Sale ${Date.now().toString(36)}` }));
  }, 600_000);

  afterAll(async () => {
    await pg?.close();
    await stack?.close();
    await stripe?.close();
    await database?.drop();
    if (outboxDir) await rm(outboxDir, { recursive: true, force: true });
  });

  it("after sale: sold out → W waits; R resells to B; F refunded → W offered, pays, e-mailed; cancel refunds each order once, e-mails all, and the door refuses every QR", async () => {
    const { R, F, X, W, B } = buyers;

    // 1. The session sells out: R one seat, F two, X the last.
    orderOf.R = await buy(R, 1);
    orderOf.F = await buy(F, 2);
    orderOf.X = await buy(X, 1);
    for (const who of [R, F, X]) await remember(who);
    expect(issued).toHaveLength(4);
    const availability = await api<unknown>("GET", `/v1/sessions/${sessionId}/availability`);
    expect(availability.status).toBe(200);

    // 2. W joins the waiting list of the sold-out session (its one area).
    const joined = await api<{ entries: { status: string; position?: number; areaId: string }[] }>("POST", `/v1/sessions/${sessionId}/waitlist`, {
      ...as(W),
      body: { quantity: 2 },
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.entries).toEqual([expect.objectContaining({ areaId: "S01", status: "waiting", position: 1 })]);

    // 3. R lists the ticket at face value; B buys it through the normal pay.
    const [resold] = await ticketsOf(R);
    const listed = await api<{ id: string; status: string; price: { amount: string } }>("POST", `/v1/tickets/${resold!.id}/resale`, { ...as(R), body: {} });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    expect(listed.body).toMatchObject({ status: "listed", price: { amount: "95.00", currency: "EUR" } });
    const offers = await api<{ items: { id: string; seatId: string }[] }>("GET", `/v1/sessions/${sessionId}/resale`, as(B));
    expect(offers.body.items).toEqual([expect.objectContaining({ id: listed.body.id, seatId: resold!.seatId })]);
    const bought = await api<{ orderId: string; seatId: string }>("POST", `/v1/resale/${listed.body.id}/buy`, { ...as(B), body: {} });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    orderOf.B = bought.body.orderId;
    const resalePaid = await pay(B, bought.body.orderId);
    expect(resalePaid.status, JSON.stringify(resalePaid.body)).toBe(200);
    expect(resalePaid.body.status).toBe("completed");
    // B holds a new ticket for R's seat; R's old QR no longer opens the door.
    await expect.poll(async () => (await ticketsOf(B)).map((t) => [t.seatId, t.status]), WAIT).toEqual([[resold!.seatId, "valid"]]);
    await remember(B);
    const [newTicket] = await ticketsOf(B);
    expect(newTicket!.qr).not.toBe(resold!.qr);
    const oldAtDoor = await door(resold!.qr);
    expect(oldAtDoor.status).toBe(409);
    expect(oldAtDoor.body.code).toBe("ticket_resold");
    // R's face value goes back: the payout is a partial refund of R's payment, on record.
    await expect.poll(async () => (await api<{ items: { id: string; payoutStatus?: string }[] }>("GET", "/v1/me/resale", as(R))).body.items, WAIT).toEqual([
      expect.objectContaining({ id: listed.body.id, status: "sold", payoutStatus: "refunded" }),
    ]);
    const [payout] = await pg.sql<{ payout_status: string; amount: string }[]>`select payout_status, amount from resale_listings where id = ${listed.body.id}`;
    expect(payout).toMatchObject({ payout_status: "refunded", amount: "95.00" });
    // At the provider: one partial refund of R's card payment, the face value of that one ticket.
    expect(stripeRefunds()).toEqual([{ key: `resale:${listed.body.id}`, intent: intentOf(orderOf.R!), amount: "9500" }]);
    await expect.poll(async () => (await mailsTo(R, "ticket-resold")).length, WAIT).toBe(1);
    // A resale frees no seat: W still waits.
    const waiting = await api<{ entries: { status: string }[] }>("GET", `/v1/sessions/${sessionId}/waitlist`, as(W));
    expect(waiting.body.entries.map((e) => e.status)).toEqual(["waiting"]);

    // 4. The organizer refunds F: F's seats come back through the engine, offered to W first.
    const fTickets = await ticketsOf(F);
    const refunded = await api<{ status: string; paymentStatus: string }>("POST", `/v1/orders/${orderOf.F}/refund`, {
      token: organizer.token,
      body: { note: "asked for it" },
      headers: { "idempotency-key": randomUUID() },
    });
    expect([200, 202], JSON.stringify(refunded.body)).toContain(refunded.status);
    await expect.poll(async () => (await api<{ status: string }>("GET", `/v1/orders/${orderOf.F}`, as(F))).body.status, WAIT).toBe("refunded");
    for (const t of fTickets) {
      const atDoor = await door(t.qr);
      expect(atDoor.status).toBe(409);
      expect(atDoor.body.code).toBe("ticket_void");
    }
    await expect.poll(async () => (await mailsTo(F, "order-refunded")).length, WAIT).toBe(1);
    const paymentIds = async () => Object.fromEntries((await pg.sql<{ order_id: string; id: string }[]>`select order_id, id from payments`).map((p) => [p.order_id, p.id]));
    expect(stripeRefunds().find((r) => r.intent === intentOf(orderOf.F!))).toEqual({
      key: `refund:${(await paymentIds())[orderOf.F!]}`,
      intent: intentOf(orderOf.F!),
      amount: "19000",
    });

    type Entry = { status: string; orderId?: string; seatIds?: string[]; expiresAt?: string };
    let offer: Entry | undefined;
    await expect
      .poll(async () => {
        offer = (await api<{ entries: Entry[] }>("GET", `/v1/sessions/${sessionId}/waitlist`, as(W))).body.entries[0];
        return offer?.status;
      }, WAIT)
      .toBe("offered");
    expect([...offer!.seatIds!].sort()).toEqual(fTickets.map((t) => t.seatId).sort());
    // Nobody racing on the seat map can take them: they are W's hold.
    const racer = await api("POST", `/v1/sessions/${sessionId}/holds`, { ...as(X), body: { areaId: "S01", quantity: 1 }, headers: { "idempotency-key": randomUUID() } });
    expect(racer.status).toBe(409);
    orderOf.W = offer!.orderId!;
    const wPaid = await pay(W, orderOf.W);
    expect(wPaid.status, JSON.stringify(wPaid.body)).toBe(200);
    expect(wPaid.body.status).toBe("completed");
    await expect.poll(async () => (await ticketsOf(W)).length, WAIT).toBe(2);
    await remember(W);
    const wTickets = await ticketsOf(W);
    expect((await api<{ entries: Entry[] }>("GET", `/v1/sessions/${sessionId}/waitlist`, as(W))).body.entries.map((e) => e.status)).toEqual(["bought"]);

    // W's confirmation carries each ticket: the QR image inline and the same payload the door scans.
    await expect.poll(async () => (await mailsTo(W, "order-confirmation")).length, WAIT).toBe(1);
    const [confirmation] = await mailsTo(W, "order-confirmation");
    for (const t of wTickets) {
      expect(confirmation!.text).toContain(t.qr);
      expect(confirmation!.html).toContain(`cid:ticket-${t.id}@rush`);
      expect(confirmation!.images[`ticket-${t.id}@rush`]).toMatch(/^data:image\/png;base64,.{200,}/);
    }
    await expect.poll(async () => (await mailsTo(B, "order-confirmation")).length, WAIT).toBe(1);
    // The same message is listed on the development outbox page, on the app's origin.
    const outboxPage = await api<{ items: { id: string; template: string; to: string }[] }>("GET", "/dev/outbox.json");
    expect(outboxPage.status).toBe(200);
    expect(outboxPage.body.items).toContainEqual(expect.objectContaining({ template: "order-confirmation", to: expect.stringContaining(W.email) }));

    // 5. The organizer cancels the session: every completed order is refunded, once.
    const completed = (await money()).filter((p) => p.order_status === "completed").map((p) => p.order_id);
    expect(completed.sort()).toEqual([orderOf.R, orderOf.X, orderOf.B, orderOf.W].sort());
    const cancelled = await api<{ status: string; ordersToRefund: number }>("POST", `/v1/sessions/${sessionId}/cancel`, {
      token: organizer.token,
      body: { reason: "the band is ill" },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    await expect
      .poll(async () => (await money()).map((p) => [p.order_id, p.order_status, p.payment_status, p.refunds]).sort(), WAIT)
      .toEqual([orderOf.R, orderOf.F, orderOf.X, orderOf.B, orderOf.W].map((id) => [id, "refunded", "refunded", 1]).sort());
    const reasons = Object.fromEntries((await money()).map((p) => [p.order_id, p.reason]));
    expect(reasons[orderOf.F!]).toBe("organizer_refund");
    for (const id of completed) expect(reasons[id]).toBe("session_cancelled");
    // The provider's record: each card refunded once for what it paid. R's order owes nothing more:
    // its one ticket's face value went back with the resale, so no second refund reaches Stripe.
    const ids = await paymentIds();
    const expected = [
      { key: `resale:${listed.body.id}`, intent: intentOf(orderOf.R!), amount: "9500" },
      { key: `refund:${ids[orderOf.F!]}`, intent: intentOf(orderOf.F!), amount: "19000" },
      { key: `refund:${ids[orderOf.X!]}`, intent: intentOf(orderOf.X!), amount: "9500" },
      { key: `refund:${ids[orderOf.B!]}`, intent: intentOf(orderOf.B!), amount: "9500" },
      { key: `refund:${ids[orderOf.W!]}`, intent: intentOf(orderOf.W!), amount: "19000" },
    ];
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(stripeRefunds().sort(byKey)).toEqual(expected.sort(byKey));

    // A second click (and a second refund of one order) refunds nothing more.
    const again = await api<{ ordersToRefund: number }>("POST", `/v1/sessions/${sessionId}/cancel`, { token: organizer.token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.ordersToRefund).toBe(0);
    const refundAgain = await api<{ paymentStatus: string }>("POST", `/v1/orders/${orderOf.W}/refund`, { token: organizer.token, body: {} });
    expect(refundAgain.status).toBe(200);
    expect(refundAgain.body.paymentStatus).toBe("refunded");
    // Nothing can be awaited for "nothing happened": a few reconciler passes are given the chance to misbehave.
    await new Promise((resolve) => setTimeout(resolve, 6 * RECONCILE_EVERY_MS));
    expect((await money()).every((p) => p.refunds === 1)).toBe(true);
    expect(stripeRefunds().sort(byKey)).toEqual(expected);

    // Every buyer is told, once per order.
    for (const who of [R, X, B, W]) await expect.poll(async () => (await mailsTo(who, "order-refunded")).length, WAIT).toBe(1);
    expect((await mailsTo(F, "order-refunded")).length).toBe(1);
    const keys = (await outbox()).map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);

    // 6. No QR issued in this test opens the door.
    expect(issued.map((i) => i.owner).sort()).toEqual(["B", "F", "F", "R", "W", "W", "X"]);
    for (const { owner, ticket } of issued) {
      const atDoor = await door(ticket.qr);
      expect(atDoor.status, `${owner}'s ticket ${ticket.seatId}: ${JSON.stringify(atDoor.body)}`).toBe(409);
    }
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./e2e/browser.ts";
import { type BrowserStack, startBrowserStack } from "./e2e/browser-stack.ts";
import { type Api, createSale, payOrder, registerBuyer } from "./e2e/seed.ts";

/** Bounded waits for what a loaded 2-core machine does in the background. */
const WAIT = { timeout: 60_000, interval: 250 };

type Account = { email: string; password: string; token: string };

/**
 * Issue 15's buyer screens in Chromium against the whole platform: a ticket holder lists a ticket
 * for resale on the tickets page, another buyer sees it on the session page and buys it; a
 * withdrawn listing is gone; a buyer joins a sold-out session's waiting list, sees the place, and
 * the offer turns into a hold with its Pay button.
 */
describe("browser app: resale and waiting-list screens", () => {
  let browser: BrowserStack;
  let api: Api;
  let adminToken: string;
  const problems = () => browser.problems;
  const signedInPage = (label: string, who: Account, next: string) => browser.signedInPage(label, who, next);

  beforeAll(async () => {
    browser = await startBrowserStack("web_e2e_after_sale");
    ({ api, adminToken } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A buyer who holds `seatIds` and pays by the mock provider through the API (the browser part is someone else's). */
  async function paidBuyer(name: string, sessionId: string, seatIds: string[]): Promise<Account & { orderId: string }> {
    const buyer = await registerBuyer(api, name);
    const held = await api<{ orderId: string }>("POST", `/v1/sessions/${sessionId}/holds`, {
      token: buyer.token,
      body: { seatIds },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const paid = await payOrder(api, held.body.orderId, { token: buyer.token, body: { provider: "mock" } });
    expect(paid.body.status).toBe("completed");
    return { ...buyer, orderId: held.body.orderId };
  }

  it("resale: a holder lists a ticket and sees it On resale, withdraws it; listed again, another buyer sees it on the session page and buys it", async () => {
    const { sessionId } = await createSale(api, adminToken, { areas: 1, rows: 1, perRow: 4, name: `Resale Night ${Date.now().toString(36)}` });
    const holder = await paidBuyer("Holder", sessionId, ["S01-1-1"]);
    const myListings = async () => (await api<{ items: { ticketId: string; status: string }[] }>("GET", "/v1/me/resale", { token: holder.token })).body.items;
    const offers = async () => (await api<{ items: { seatId: string }[] }>("GET", `/v1/sessions/${sessionId}/resale`)).body.items;

    const page = await signedInPage("holder", holder, "/tickets");
    const ticket = page.getByTestId("ticket").filter({ hasText: "S01-1-1" });
    const button = ticket.getByTestId("resale-button");
    await expect.poll(() => button.textContent(), WAIT).toBe("Sell this ticket");
    await button.click();
    await expect.poll(() => ticket.textContent(), WAIT).toContain("On resale");
    expect(await button.textContent()).toBe("Withdraw from resale");
    expect((await myListings()).map((l) => l.status)).toEqual(["listed"]);
    expect((await offers()).map((o) => o.seatId)).toEqual(["S01-1-1"]);
    await screenshot(page, "31-resale-listed");

    // Withdrawn: the badge goes, and so does the offer.
    await button.click();
    await expect.poll(() => button.textContent(), WAIT).toBe("Sell this ticket");
    expect(await ticket.textContent()).not.toContain("On resale");
    expect(await offers()).toEqual([]);
    await page.reload();
    await expect.poll(() => ticket.getByTestId("resale-button").textContent(), WAIT).toBe("Sell this ticket");

    // Listed again, another buyer finds it on the session page and buys it at face value.
    await button.click();
    await expect.poll(() => ticket.textContent(), WAIT).toContain("On resale");
    const buyer = await registerBuyer(api, "Second");
    const buyerPage = await signedInPage("resale buyer", buyer, `/sessions/${sessionId}`);
    const list = buyerPage.getByTestId("resale-list");
    await expect.poll(() => list.textContent(), WAIT).toContain("Seat S01-1-1 · €95.00");
    await screenshot(buyerPage, "32-resale-offer");
    await list.getByRole("button", { name: "Buy" }).click();
    await buyerPage.waitForURL(/\/tickets\?order=/, { timeout: 30_000 });
    const bought = buyerPage.getByTestId("ticket").filter({ hasText: "S01-1-1" });
    await bought.getByTestId("ticket-qr").waitFor({ timeout: 30_000 });
    await screenshot(buyerPage, "33-resale-bought");

    // The seller's ticket is no longer theirs to use or sell.
    await expect.poll(async () => (await myListings()).map((l) => l.status).sort(), WAIT).toEqual(["sold", "withdrawn"]);
    await page.reload();
    await expect.poll(() => page.getByTestId("ticket").filter({ hasText: "S01-1-1" }).getByTestId("resale-button").count(), WAIT).toBe(0);
    expect(problems().filter((p) => !p.includes("Failed to load resource"))).toEqual([]);
  });

  it("waiting list: on a sold-out session a buyer joins, sees the place; when a refund frees seats the offer becomes their hold with Pay, and paying lands on the tickets", async () => {
    const { sessionId } = await createSale(api, adminToken, { areas: 1, rows: 1, perRow: 2, name: `Sold Out Night ${Date.now().toString(36)}` });
    const [early] = await Promise.all([paidBuyer("Early", sessionId, ["S01-1-1"]), paidBuyer("Later", sessionId, ["S01-1-2"])]);

    const waiter = await registerBuyer(api, "Waiter");
    const page = await signedInPage("waiter", waiter, `/sessions/${sessionId}`);
    const panel = page.getByTestId("waitlist-panel");
    await panel.waitFor({ timeout: 60_000 });
    expect(await panel.textContent()).toContain("is sold out");
    await panel.getByLabel("Seats").fill("1");
    await panel.getByRole("button", { name: "Join the waiting list" }).click();
    await expect.poll(() => panel.getByTestId("waitlist-position").textContent(), WAIT).toContain("number 1");
    await screenshot(page, "34-waitlist-joined");

    // Someone joining after is behind: the place is the list's order.
    const second = await registerBuyer(api, "Behind");
    const behind = await api<{ entries: { position?: number }[] }>("POST", `/v1/sessions/${sessionId}/waitlist`, { token: second.token, body: { quantity: 1 } });
    expect(behind.body.entries[0]?.position).toBe(2);

    // The organizer refunds Early: the seat is offered to the waiter, whose screen turns it into a hold.
    const refund = await api("POST", `/v1/orders/${early.orderId}/refund`, { token: adminToken, body: {} });
    expect([200, 202]).toContain(refund.status);
    const hold = page.getByTestId("hold-panel");
    await hold.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId("notice").textContent(), WAIT).toContain("held for you from the waiting list");
    expect(await hold.textContent()).toContain("Section 101, row 1, seat 1");
    // On the map too, the offered seat is the buyer's own (drawn with the check mark), not someone else's hold.
    await expect.poll(() => page.evaluate(() => window.__rush?.seatMap?.status("S01-1-1")), WAIT).toBe("mine");
    await screenshot(page, "35-waitlist-offer");
    await page.getByRole("button", { name: /^Pay €95\.00/ }).click();
    await page.waitForURL(/\/tickets\?order=/, { timeout: 30_000 });
    await page.getByTestId("ticket").filter({ hasText: "S01-1-1" }).getByTestId("ticket-qr").waitFor({ timeout: 30_000 });
    await screenshot(page, "36-waitlist-bought");
    const status = await api<{ entries: { status: string }[] }>("GET", `/v1/sessions/${sessionId}/waitlist`, { token: waiter.token });
    expect(status.body.entries.map((e) => e.status)).toEqual(["bought"]);
    // The next on the list still waits, now first.
    const next = await api<{ entries: { status: string; position?: number }[] }>("GET", `/v1/sessions/${sessionId}/waitlist`, { token: second.token });
    expect(next.body.entries).toEqual([expect.objectContaining({ status: "waiting", position: 1 })]);
    expect(problems().filter((p) => !p.includes("Failed to load resource") && !p.includes("409"))).toEqual([]);
  });
});

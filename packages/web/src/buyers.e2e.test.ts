import { randomUUID } from "node:crypto";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { Browser, BrowserContext, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectProblems, launchBrowser, screenshot } from "./e2e/browser.ts";
import { buildApp, frontDoorOf } from "./e2e/front-door.ts";
import { ADMIN, type Api, apiOf, createSale, joinQueue, login, registerBuyer } from "./e2e/seed.ts";
import { type Stack, startStack } from "./e2e/stack.ts";

/**
 * Issue 7 end to end: the built app in Chromium against the whole platform (ticket worker,
 * catalog, gate, order, payment, notification as real processes on real NATS, Redis and
 * PostgreSQL). Two browser contexts are two buyers.
 */
describe("browser app end to end", () => {
  let database: TestDatabase;
  let stack: Stack;
  let door: string;
  let browser: Browser;
  let api: Api;
  let adminToken: string;
  let sessionId: string;
  const eventName = `Rush Browser Cup ${Date.now().toString(36)}`;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    database = await testDatabase("web_e2e");
    // Built before the gate starts: the gate serves whatever build it finds at start.
    await buildApp();
    [stack, browser] = await Promise.all([startStack(database), launchBrowser()]);
    door = await frontDoorOf(stack);
    api = apiOf(stack.gate.url);
    adminToken = await login(api, ADMIN.email, ADMIN.password);
    // The demo's size: 20,000 seats in 20 areas.
    ({ sessionId } = await createSale(api, adminToken, { areas: 20, rows: 25, perRow: 40, name: eventName }));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stack?.close();
    await database?.drop();
    if (problems.length) console.warn(problems.join("\n"));
  });

  async function newPage(label: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: door, viewport: { width: 1400, height: 900 }, locale: "en-GB" });
    contexts.push(context);
    const page = await context.newPage();
    collectProblems(page, label, problems);
    return page;
  }

  const seatMap = <T>(page: Page, fn: string, arg?: string): Promise<T> =>
    page.evaluate(([f, a]) => (window.__rush!.seatMap as unknown as Record<string, (x?: string) => unknown>)[f!]!(a) as T, [fn, arg] as const);

  async function openSeatMap(page: Page): Promise<void> {
    await page.getByTestId("seat-map").waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId("feed-state").textContent(), { timeout: 20_000 }).toContain("Live");
  }

  /** The canvas pixel a little off a seat's centre (clear of its mark), as [r, g, b]. */
  const seatPixel = (page: Page, seatId: string) =>
    page.evaluate((id) => {
      const canvas = document.querySelector<HTMLCanvasElement>("[data-testid=seat-map] canvas")!;
      const map = window.__rush!.seatMap!;
      const point = map.pagePoint(id)!;
      const rect = canvas.getBoundingClientRect();
      const dpr = canvas.width / rect.width;
      const off = map.seatRadiusPx() * 0.45;
      const data = canvas.getContext("2d")!.getImageData(Math.round((point.x - rect.left + off) * dpr), Math.round((point.y - rect.top + off) * dpr), 1, 1).data;
      return [data[0]!, data[1]!, data[2]!];
    }, seatId);

  it("buyers: A holds a seat and B sees it held within a second; B's attempts get a clear message; A pays and gets the QR code", async () => {
    const [seatX, seatY] = ["S01-1-1", "S01-1-2"];
    const pageA = await newPage("A");
    const pageB = await newPage("B");

    // B's live updates pass through the test, so it can hold them back to stage a race.
    let frozen = false;
    let toPage: WebSocketRoute | undefined;
    const heldBack: (string | Buffer)[] = [];
    await pageB.routeWebSocket(/\/socket\.io\//, (ws) => {
      toPage = ws;
      const server = ws.connectToServer();
      server.onMessage((message) => (frozen ? heldBack.push(message) : ws.send(message)));
      ws.onMessage((message) => server.send(message));
    });

    // A signs up on the way to the seat map; B already has an account and signs in.
    const bob = await registerBuyer(api, "Bob");
    await pageA.goto(`/signup?next=${encodeURIComponent(`/sessions/${sessionId}`)}`);
    await pageA.getByLabel("Name").fill("Alice");
    await pageA.getByLabel("Email").fill(`alice-${randomUUID().slice(0, 8)}@example.com`);
    await pageA.getByLabel("Password").fill("correct-horse-battery");
    await pageA.getByRole("button", { name: "Create account" }).click();
    await pageB.goto(`/sessions/${sessionId}`);
    await pageB.getByRole("link", { name: "Sign in" }).first().click();
    await pageB.getByLabel("Email").fill(bob.email);
    await pageB.getByLabel("Password").fill(bob.password);
    await pageB.getByRole("button", { name: "Sign in" }).click();
    await Promise.all([openSeatMap(pageA), openSeatMap(pageB)]);
    await screenshot(pageA, "01-a-seat-map");

    // B moves to seat X with the keyboard; the screen reader hears it is available.
    await pageB.getByTestId("seat-map").focus();
    await pageB.keyboard.press("ArrowRight");
    await expect.poll(() => seatMap<string>(pageB, "focused")).toBe(seatX);
    await expect.poll(() => pageB.getByTestId("seat-announcement").textContent()).toMatch(/Section 101, row 1, seat 1\. Premium, €95\.00, circle\. Available\./);

    // A clicks X on the map and holds it.
    const point = (await seatMap<{ x: number; y: number }>(pageA, "pagePoint", seatX))!;
    await pageA.mouse.click(point.x, point.y);
    await expect(pageA.getByTestId("selection").textContent()).resolves.toContain("Section 101, row 1, seat 1");
    const bSeesHeld = pageB.waitForFunction((id) => window.__rush?.seatMap?.status(id) === "held", seatX, { polling: 20, timeout: 10_000 }).then(() => Date.now());
    const clickedAt = Date.now();
    await pageA.getByRole("button", { name: /^Hold 1 seat/ }).click();
    await pageA.getByTestId("hold-panel").waitFor();
    const heldAt = Date.now();
    const seenAt = await bSeesHeld;
    await screenshot(pageA, "02-a-holds");
    console.log(`web e2e: B saw ${seatX} held ${seenAt - heldAt} ms after A's hold was granted (${seenAt - clickedAt} ms after A clicked)`);
    expect(seenAt - heldAt).toBeLessThan(1000);
    expect(await seatMap(pageA, "status", seatX)).toBe("mine");
    // Seen, not only known: the seat is drawn in the held grey, and announced so.
    await expect.poll(() => seatPixel(pageB, seatX)).toEqual([143, 143, 143]);
    await expect.poll(() => pageB.getByTestId("seat-announcement").textContent()).toContain("Held by another buyer");
    await screenshot(pageB, "03-b-sees-held");

    // B tries X anyway: told why not, nothing picked.
    await pageB.keyboard.press("Enter");
    await expect.poll(() => pageB.getByTestId("notice").textContent()).toContain("Section 101, row 1, seat 1 is held by another buyer right now. Pick an available seat.");

    // The race: B picks Y, someone else holds Y while B's live updates are held back, B asks for it.
    await pageB.keyboard.press("ArrowRight");
    await expect.poll(() => seatMap<string>(pageB, "focused")).toBe(seatY);
    await pageB.keyboard.press("Enter");
    await expect(pageB.getByTestId("selection").textContent()).resolves.toContain("Section 101, row 1, seat 2");
    frozen = true;
    const carol = await registerBuyer(api, "Carol");
    const taken = await api("POST", `/v1/sessions/${sessionId}/holds`, { token: carol.token, body: { seatIds: [seatY] }, headers: { "idempotency-key": randomUUID() } });
    expect(taken.status).toBe(201);
    expect(await seatMap(pageB, "status", seatY)).toBe("available");
    await pageB.getByRole("button", { name: /^Hold 1 seat/ }).click();
    await expect
      .poll(() => pageB.getByTestId("notice").textContent())
      .toContain("Sorry, Section 101, row 1, seat 2 is no longer available: another buyer got there first. Pick another seat.");
    expect(await seatMap(pageB, "status", seatY)).toBe("held");
    expect(await pageB.getByTestId("hold-panel").count()).toBe(0);
    await screenshot(pageB, "04-b-race-lost");
    frozen = false;
    for (const message of heldBack.splice(0)) toPage?.send(message);

    // A pays with the mock provider and lands on the ticket with its QR code.
    await expect(pageA.getByTestId("hold-countdown").textContent()).resolves.toMatch(/^(10:00|9:\d\d)$/);
    await pageA.getByRole("button", { name: /^Pay €95\.00/ }).click();
    await pageA.waitForURL(/\/tickets\?order=/, { timeout: 30_000 });
    const qr = pageA.getByTestId("ticket-qr").first();
    await qr.waitFor({ timeout: 30_000 });
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    expect(await qr.getAttribute("alt")).toBe(`QR code of ticket for seat ${seatX}`);
    await screenshot(pageA, "05-a-ticket-qr");

    // And B's map, live again, shows X sold.
    await pageB.waitForFunction((id) => window.__rush?.seatMap?.status(id) === "sold", seatX, { polling: 50, timeout: 10_000 });
    expect(problems.filter((p) => !p.includes("409") && !p.includes("Failed to load resource"))).toEqual([]);
  });

  it("seat map: found by search, then 20,000 seats zoom and pan (frame times printed)", async () => {
    const page = await newPage("perf");
    const buyer = await registerBuyer(api, "Pat");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(buyer.email);
    await page.getByLabel("Password").fill(buyer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Events" }).waitFor();
    await page.getByLabel("Search events").fill("browser cup");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: eventName }).click();
    // The count comes from the session's availability, a scan of the 20,000-seat read model: the
    // poll's default 1 s was a stopwatch on that scan (it missed once on the cluster at load ~27).
    await expect.poll(() => page.locator(".session-row").textContent(), { timeout: 20_000 }).toMatch(/seats left/);
    await screenshot(page, "06-event-page");
    await page.getByRole("link", { name: "Choose seats" }).click();
    await openSeatMap(page);
    expect(await page.evaluate(() => window.__rush!.seatMap!.seatCount)).toBe(20_000);
    const canvas = (await page.getByTestId("seat-map").boundingBox())!;
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + canvas.height / 2;
    const frames: number[] = [];
    const radiusBefore = await seatMap<number>(page, "seatRadiusPx");
    await page.mouse.move(cx, cy);
    for (let k = 0; k < 6; k++) {
      await page.mouse.wheel(0, -240);
      await page.waitForTimeout(50);
      frames.push(await seatMap<number>(page, "lastDrawMs"));
    }
    const radiusZoomed = await seatMap<number>(page, "seatRadiusPx");
    const seatBefore = await seatMap<{ x: number; y: number } | null>(page, "pagePoint", "S10-10-20");
    await page.mouse.down();
    for (let k = 0; k < 6; k++) {
      await page.mouse.move(cx - k * 40, cy - k * 20);
      await page.waitForTimeout(50);
      frames.push(await seatMap<number>(page, "lastDrawMs"));
    }
    await page.mouse.up();
    const seatAfter = await seatMap<{ x: number; y: number } | null>(page, "pagePoint", "S10-10-20");
    await page.keyboard.press("0");
    await screenshot(page, "07-zoomed");
    // What zoom and pan must do; how fast they draw is printed, not asserted (a shared machine is
    // no stopwatch).
    expect(radiusZoomed).toBeGreaterThan(radiusBefore * 2);
    expect(seatBefore && seatAfter && seatAfter.x < seatBefore.x && seatAfter.y < seatBefore.y).toBe(true);
    expect(frames.every((ms) => ms > 0)).toBe(true);
    console.log(`web e2e: 20,000-seat frames ${frames.map((f) => f.toFixed(1)).join(", ")} ms (worst ${Math.max(...frames).toFixed(1)} ms)`);
  });

  it("waiting room: a buyer behind a crowd sees their place, then moves on to the seat map by themselves", async () => {
    const room = await createSale(api, adminToken, { areas: 2, rows: 5, perRow: 10, waitingRoom: { enabled: true, admitPerSecond: 1 } });
    // Everyone's account first, and the buyer's sign-in form filled: the room lets one in at once
    // and one a second after that, so the buyer must join within seconds of the four before them.
    const crowd = await Promise.all(["Q1", "Q2", "Q3", "Q4"].map((name) => registerBuyer(api, name)));
    const page = await newPage("queue");
    const buyer = await registerBuyer(api, "Quinn");
    await page.goto(`/signin?next=${encodeURIComponent(`/sessions/${room.sessionId}`)}`);
    await page.getByLabel("Email").fill(buyer.email);
    await page.getByLabel("Password").fill(buyer.password);
    for (const person of crowd) await joinQueue(api, person.token, room.sessionId);
    await page.getByRole("button", { name: "Sign in" }).click();
    const waiting = page.getByTestId("waiting-room");
    await waiting.waitFor({ timeout: 20_000 });
    expect(await waiting.textContent()).toMatch(/Your place in the queue: \d+.*Estimated wait: (less than a minute|about \d+ minutes?)/);
    await screenshot(page, "08-waiting-room");
    // No click: admission moves the page on.
    await openSeatMap(page);
    expect(await page.getByTestId("waiting-room").count()).toBe(0);
  });

  it("organizer: creates a venue, an event and a session with prices in the browser, publishes it, and its seat map opens", async () => {
    const page = await newPage("organizer");
    await page.goto("/signin?next=%2Forganizer");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My events" }).waitFor();
    await page.getByRole("link", { name: "Create a sale" }).click();
    await page.getByRole("heading", { name: "Create and publish a sale" }).waitFor();
    await page.locator("input[name=venueName]").fill("Browser Hall");
    await page.locator("input[name=venueAddress]").fill("2 Test Street");
    await page.getByLabel("Area 2 rows").fill("12");
    await page.getByRole("button", { name: "Create venue" }).click();
    await expect.poll(() => page.getByTestId("venue-created").textContent()).toContain("440 seats in 2 areas");
    await page.locator("input[name=eventName]").fill("Browser Gala");
    await page.getByRole("button", { name: "Create event" }).click();
    await page.getByRole("button", { name: "Add price category" }).click();
    // The second category takes area B (ticking it there unticks it in the first).
    await page.getByRole("group", { name: "Areas of Category 2" }).getByLabel("Stalls right (B)").check();
    await page.getByRole("button", { name: "Create session" }).click();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => page.getByTestId("published").textContent(), { timeout: 60_000 }).toContain("440 seats loaded");
    await screenshot(page, "09-organizer-published");
    await page.getByRole("link", { name: "Open the seat map" }).click();
    await openSeatMap(page);
    expect(await page.evaluate(() => window.__rush!.seatMap!.seatCount)).toBe(440);
    const legend = await page.getByRole("region", { name: "Legend" }).textContent();
    expect(legend).toContain("Standard €45.00");
    expect(legend).toContain("Category 2 €30.00");
    await screenshot(page, "10-organizer-seat-map");
  });

  /** The admin's console (the admin organizes the sales `createSale` made), signed in. */
  async function organizerPage(path: string): Promise<Page> {
    const page = await newPage("organizer console");
    await page.goto(`/signin?next=${encodeURIComponent(path)}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    return page;
  }
  let upcomingSessionId = "";

  it("organizer: a new sale reuses a venue, and once published with a later opening it counts down as upcoming, not on sale", async () => {
    const page = await organizerPage("/organizer/new");
    await page.getByRole("heading", { name: "Venue you used before" }).waitFor({ timeout: 20_000 });
    await page.locator("select[name=existingVenue]").selectOption({ label: "Browser Hall — 440 seats, 2 Test Street" });
    await page.getByRole("button", { name: "Use this venue" }).click();
    await expect.poll(() => page.getByTestId("venue-created").textContent()).toContain("Browser Hall");
    await page.locator("input[name=eventName]").fill("Browser Matinee");
    await page.getByRole("button", { name: "Create event" }).click();
    // The sale opens in ten minutes.
    const opens = new Date(Date.now() + 10 * 60_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${opens.getFullYear()}-${pad(opens.getMonth() + 1)}-${pad(opens.getDate())}T${pad(opens.getHours())}:${pad(opens.getMinutes())}`;
    await page.getByLabel("Sale opens").fill(local);
    await page.getByRole("button", { name: "Create session" }).click();
    await page.getByRole("button", { name: "Publish" }).click();
    const state = page.getByTestId("published-state");
    await expect.poll(() => state.textContent(), { timeout: 60_000 }).toMatch(/^Sale opens in \d{1,2}:\d\d, /);
    expect(await page.getByTestId("published").textContent()).not.toContain("On sale");
    // It counts down.
    const first = await state.textContent();
    await expect.poll(() => state.textContent()).not.toBe(first);
    await screenshot(page, "13-organizer-upcoming");
    await page.getByRole("link", { name: "Manage and watch sales" }).click();
    upcomingSessionId = /sessions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  });

  it("organizer: my events list every date with its state; a date whose sale has not opened takes new dates and prices, one that opened says why not", async () => {
    const page = await organizerPage("/organizer");
    const list = page.getByTestId("my-events");
    await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain("Browser Matinee");
    expect(await list.textContent()).toContain(eventName);
    const matinee = page.locator("li.panel", { hasText: "Browser Matinee" });
    expect(await matinee.locator(".badge").textContent()).toBe("Upcoming");
    expect(await page.locator("li.panel", { hasText: eventName }).locator(".badge").first().textContent()).toBe("On sale");
    await screenshot(page, "11-organizer-my-events");

    await matinee.getByRole("link", { name: /^Manage Browser Matinee/ }).click();
    await page.getByRole("heading", { name: "Dates and prices" }).waitFor();
    expect(await page.getByTestId("edit-lock").count()).toBe(0);
    await page.getByLabel("Standard (EUR)").fill("52.5");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const { body } = await api<{ priceCategories: { name: string; price: { amount: string } }[] }>("GET", `/v1/sessions/${upcomingSessionId}`);
    expect(body.priceCategories.find((c) => c.name === "Standard")!.price.amount).toBe("52.50");
    await page.locator("input[name=eventName]").fill("Browser Matinee (extra date)");
    await page.getByRole("button", { name: "Rename event" }).click();
    await page.getByRole("heading", { name: /^Browser Matinee \(extra date\)/ }).waitFor();

    await page.goto(`/organizer/sessions/${sessionId}`);
    const lock = page.getByTestId("edit-lock");
    await expect.poll(() => lock.textContent(), { timeout: 20_000 }).toMatch(/^The sale opened .*: dates and prices stay as buyers saw them/);
    expect(await page.getByLabel("Premium (EUR)").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    await page.getByRole("heading", { name: "Dates and prices" }).scrollIntoViewIfNeeded();
    await screenshot(page, "14-organizer-edit-locked");
  });

  it("organizer: the live sales view shows a buyer's hold as held and in holds per minute, then sold and revenue once paid, without a reload", async () => {
    const page = await organizerPage(`/organizer/sessions/${sessionId}`);
    const view = page.getByTestId("sales-view");
    await expect.poll(() => view.getByRole("heading").textContent(), { timeout: 30_000 }).toContain("Live");
    const figure = async (id: string) => (await page.getByTestId(`sales-${id}`).textContent()) ?? "";
    const count = async (id: string) => Number((await figure(id)).split(" ")[0]!.replaceAll(",", ""));
    const [held0, sold0, pace0] = [await count("held"), await count("sold"), await count("holds-per-minute")];

    const buyer = await registerBuyer(api, "Watched");
    const hold = await api<{ orderId: string }>("POST", `/v1/sessions/${sessionId}/holds`, {
      token: buyer.token,
      body: { seatIds: ["S20-25-39", "S20-25-40"] },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(hold.status).toBe(201);
    await expect.poll(() => count("held"), { timeout: 20_000 }).toBe(held0 + 2);
    await expect.poll(() => count("holds-per-minute"), { timeout: 20_000 }).toBeGreaterThan(pace0);
    await screenshot(page, "12-organizer-live-sales");

    // Paying: the order service retries until the order it names exists.
    await expect
      .poll(async () => (await api("POST", `/v1/orders/${hold.body.orderId}/pay`, { token: buyer.token, body: { provider: "mock" } })).status, { timeout: 20_000 })
      .toBe(200);
    await expect.poll(() => count("sold"), { timeout: 30_000 }).toBe(sold0 + 2);
    await expect.poll(() => figure("revenue"), { timeout: 30_000 }).not.toBe("€0.00");
    expect(await page.getByRole("table", { name: "By area" }).textContent()).toContain("Section 120 (S20)");
  });

  it("organizer: Refund asks first, then the buyer's order shows Refunded; Cancel session asks for a reason and refunds every other paid order", async () => {
    const small = await createSale(api, adminToken, { areas: 1, rows: 1, perRow: 4, name: `${eventName} Refunds` });
    /** A buyer who holds one seat and pays for it through the API (the browser part is the organizer's). */
    const paidBuyer = async (name: string, seatId: string) => {
      const buyer = await registerBuyer(api, name);
      const hold = await api<{ orderId: string }>("POST", `/v1/sessions/${small.sessionId}/holds`, {
        token: buyer.token,
        body: { seatIds: [seatId] },
        headers: { "idempotency-key": randomUUID() },
      });
      expect(hold.status).toBe(201);
      await expect
        .poll(async () => (await api("POST", `/v1/orders/${hold.body.orderId}/pay`, { token: buyer.token, body: { provider: "mock" } })).status, { timeout: 20_000 })
        .toBe(200);
      return { ...buyer, orderId: hold.body.orderId };
    };
    const [first, second] = await Promise.all([paidBuyer("Refunded", "S01-1-1"), paidBuyer("Cancelled", "S01-1-2")]);
    const orderStatus = async (buyer: { token: string; orderId: string }) => (await api<{ status: string }>("GET", `/v1/orders/${buyer.orderId}`, { token: buyer.token })).body.status;

    const page = await organizerPage(`/organizer/sessions/${small.sessionId}`);
    const row = page.getByTestId("paid-order").filter({ hasText: "S01-1-1" });
    await row.getByRole("button", { name: "Refund" }).waitFor({ timeout: 30_000 });
    // Dismissing the confirmation refunds nothing.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await row.getByRole("button", { name: "Refund" }).click();
    await expect.poll(() => orderStatus(first)).toBe("completed");
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await row.getByRole("button", { name: "Refund" }).click();
    // 200 refunded, or 202 while the provider is still at it (a loaded machine): the row says which.
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/Refunded|Refund on its way/);
    expect(asked[0]).toContain("S01-1-1");
    await expect.poll(() => orderStatus(first), { timeout: 60_000 }).toBe("refunded");
    await page.reload();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("Refunded");

    // The buyer sees it on My orders.
    const buyerPage = await newPage("refunded buyer");
    await buyerPage.goto("/signin?next=/orders");
    await buyerPage.getByLabel("Email").fill(first.email);
    await buyerPage.getByLabel("Password").fill(first.password);
    await buyerPage.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => buyerPage.locator("main").textContent(), { timeout: 30_000 }).toContain("Refunded");

    // Cancelling the session asks for a reason shown to buyers; the other paid order is refunded.
    page.once("dialog", (dialog) => void dialog.accept("The venue is flooded"));
    await page.getByRole("button", { name: "Cancel session" }).click();
    await page.getByTestId("session-cancelled").waitFor({ timeout: 30_000 });
    expect(await page.locator(".session-orders [role=status]").textContent()).toContain("1 order(s) being refunded");
    await expect.poll(() => orderStatus(second), { timeout: 60_000 }).toBe("refunded");
    await page.reload();
    await expect.poll(() => page.getByTestId("paid-order").filter({ hasText: "S01-1-2" }).textContent(), { timeout: 30_000 }).toContain("Refunded");
  });
});

import { randomUUID } from "node:crypto";
import { OrderEvent, STREAMS, redisKeys, sessionCancelledSubject } from "@rush/contracts";
import { decodeSeatMap } from "@rush/contracts/seat-map-runs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, startCatalogStack } from "../testing/catalog-stack.ts";

const seatMap = { areas: [{ id: "A", name: "Stalls", rowCount: 2, seatsPerRow: 3 }, { id: "B", name: "Balcony", rowCount: 1, seatsPerRow: 2 }] };
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sessionBody = (saleStartsAt: number) => ({
  startsAt: iso(Date.now() + 30 * DAY),
  endsAt: iso(Date.now() + 30 * DAY + 3 * 3_600_000),
  saleStartsAt: iso(saleStartsAt),
  saleEndsAt: iso(Date.now() + 29 * DAY),
  priceCategories: [
    { name: "Premium", areaIds: ["A"], price: { amount: "80.00", currency: "EUR" } },
    { name: "Standard", areaIds: ["B"], price: { amount: "40.00", currency: "EUR" } },
  ],
});

describe("organizer console", () => {
  let stack: CatalogStack;
  let alice: { accessToken: string; id: string };
  let bob: { accessToken: string; id: string };
  let carl: { accessToken: string; id: string };
  let venueId: string;
  let eventId: string;

  const call = (method: "GET" | "PATCH" | "POST", url: string, token?: string, payload?: object) =>
    stack.call({ method, url, ...(token ? { token } : {}), ...(payload ? { payload } : {}) });
  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code?: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    if (code) expect(res.json()).toMatchObject({ status, code });
  };
  const newSession = async (saleStartsAt: number, status: "draft" | "on_sale" = "draft") => {
    const created = await call("POST", `/v1/events/${eventId}/sessions`, alice.accessToken, sessionBody(saleStartsAt));
    const id: string = created.json().id;
    // Publishing needs ticket workers, which this file does not run: the status is what matters here.
    if (status !== "draft") await stack.db.sql`update sessions set status = ${status}, published_at = now() where id = ${id}`;
    return created.json() as { id: string; priceCategories: { id: string; name: string }[] };
  };

  beforeAll(async () => {
    stack = await startCatalogStack();
    [alice, bob, carl] = await Promise.all([stack.user("alice@example.com", ["organizer"]), stack.user("bob@example.com", ["organizer"]), stack.user("carl@example.com")]);
    venueId = (await call("POST", "/v1/venues", alice.accessToken, { name: "Arena", address: "1 Main St", seatMap })).json().id;
    await call("POST", "/v1/venues", bob.accessToken, { name: "Bob's Hall", address: "2 Side St", seatMap });
    eventId = (await call("POST", "/v1/events", alice.accessToken, { venueId, name: "Rock Night", category: "music" })).json().id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("organizer: my events list only mine, with draft sessions; my venues only mine", async () => {
    const session = await newSession(Date.now() + DAY);
    const mine = await call("GET", "/v1/me/events", alice.accessToken);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toHaveLength(1);
    expect(mine.json().items[0]).toMatchObject({ id: eventId, sessions: expect.arrayContaining([expect.objectContaining({ id: session.id, status: "draft" })]) });
    expect((await call("GET", "/v1/me/events", bob.accessToken)).json().items).toEqual([]);
    const venues = await call("GET", "/v1/me/venues", alice.accessToken);
    expect(venues.json().items.map((v: { name: string }) => v.name)).toEqual(["Arena"]);
    expectProblem(await call("GET", "/v1/me/events", carl.accessToken), 403);
    expectProblem(await call("GET", "/v1/me/venues"), 401);
  });

  it("organizer: a draft's dates and prices change; bad changes are refused and change nothing", async () => {
    const session = await newSession(Date.now() + DAY);
    const premium = session.priceCategories.find((c) => c.name === "Premium")!;
    const startsAt = iso(Date.now() + 20 * DAY);
    const edited = await call("PATCH", `/v1/sessions/${session.id}`, alice.accessToken, {
      startsAt,
      endsAt: iso(Date.now() + 20 * DAY + 7_200_000),
      saleEndsAt: iso(Date.now() + 19 * DAY),
      prices: [{ priceCategoryId: premium.id, price: { amount: "95.5", currency: "EUR" } }],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().startsAt).toBe(startsAt);
    expect(edited.json().priceCategories.find((c: { id: string }) => c.id === premium.id).price).toEqual({ amount: "95.50", currency: "EUR" });

    const before = (await call("GET", `/v1/sessions/${session.id}`)).json();
    expectProblem(await call("PATCH", `/v1/sessions/${session.id}`, alice.accessToken, { endsAt: iso(Date.now()) }), 422, "invalid_session_change");
    expectProblem(await call("PATCH", `/v1/sessions/${session.id}`, alice.accessToken, { prices: [{ priceCategoryId: premium.id, price: { amount: "9", currency: "USD" } }] }), 422);
    expectProblem(await call("PATCH", `/v1/sessions/${session.id}`, alice.accessToken, { venueId }), 400);
    expectProblem(await call("PATCH", `/v1/sessions/${session.id}`, alice.accessToken, {}), 400);
    expectProblem(await call("PATCH", `/v1/sessions/${session.id}`, bob.accessToken, { startsAt }), 403, "not_owner");
    expectProblem(await call("PATCH", `/v1/sessions/${randomUUID()}`, alice.accessToken, { startsAt }), 404);
    expect((await call("GET", `/v1/sessions/${session.id}`)).json()).toEqual(before);
  });

  it("organizer: a published session may change until its sale opens, then 409 says why", async () => {
    const upcoming = await newSession(Date.now() + DAY, "on_sale");
    const price = { priceCategoryId: upcoming.priceCategories[0]!.id, price: { amount: "70.00", currency: "EUR" } };
    expect((await call("PATCH", `/v1/sessions/${upcoming.id}`, alice.accessToken, { prices: [price] })).statusCode).toBe(200);
    const open = await newSession(Date.now() - 60_000, "on_sale");
    const refused = await call("PATCH", `/v1/sessions/${open.id}`, alice.accessToken, { prices: [{ ...price, priceCategoryId: open.priceCategories[0]!.id }] });
    expectProblem(refused, 409, "sale_opened");
    expect((refused.json() as { detail: string }).detail).toContain("fixed once buyers can hold seats");
  });

  it("organizer: sales per area and category, revenue, holds per minute and the waiting room, for the organizer only", async () => {
    const session = await newSession(Date.now() - 60_000, "on_sale");
    const seats = stack.redis.pipeline();
    // The read model the ticket actors keep: A has 6 seats, B 2.
    seats.hset(redisKeys.seatMap(session.id), { "A-1-1": "s", "A-1-2": "s", "A-1-3": `h:${carl.id}`, "A-2-1": "a", "B-1-1": "s", "B-1-2": "a" });
    seats.zadd(redisKeys.waitingRoom(session.id).queue, 1, "u1", 2, "u2", 3, "u3", 4, "u4");
    seats.hset(redisKeys.waitingRoom(session.id).admission, { cursor: "1.6", last: String(Date.now()) });
    await seats.exec();
    const order = async (status: string, total: string, ageMs: number) =>
      stack.db.sql`insert into orders (id, hold_id, session_id, buyer_id, status, total_amount, currency, expires_at, created_at)
        values (${randomUUID()}, ${randomUUID()}, ${session.id}, ${carl.id}, ${status}, ${total}, 'EUR', now() + interval '10 minutes', now() - ${ageMs} * interval '1 millisecond')`;
    await order("completed", "160.00", 5 * 60_000);
    await order("completed", "40.00", 10_000);
    await order("created", "80.00", 5_000);

    const res = await call("GET", `/v1/sessions/${session.id}/sales`, alice.accessToken);
    expect(res.statusCode).toBe(200);
    const sales = res.json();
    expect(sales).toMatchObject({ revenue: { amount: "200.00", currency: "EUR" }, ordersCompleted: 2, holdsPerMinute: 2, waitingRoomLength: 3 });
    expect(sales.areas.find((a: { id: string }) => a.id === "A")).toMatchObject({ total: 6, sold: 2, held: 1 });
    expect(sales.priceCategories.find((c: { name: string }) => c.name === "Standard")).toMatchObject({ total: 2, sold: 1 });
    expect(sales.totals).toMatchObject({ total: 8, sold: 3, held: 1 });

    expectProblem(await call("GET", `/v1/sessions/${session.id}/sales`, bob.accessToken), 403, "not_owner");
    expectProblem(await call("GET", `/v1/sessions/${session.id}/sales`, carl.accessToken), 403);
    expectProblem(await call("GET", `/v1/sessions/${randomUUID()}/sales`, alice.accessToken), 404, "session_not_found");
    expectProblem(await call("GET", "/v1/sessions/not-a-uuid/sales", alice.accessToken), 400);
  });

  it("sessions: only its organizer cancels a session; it turns cancelled once, says so on ORDERS, and a repeat answers the same", async () => {
    const { id } = await newSession(Date.now() + DAY);
    expectProblem(await call("POST", `/v1/sessions/${randomUUID()}/cancel`, alice.accessToken, {}), 404, "session_not_found");
    expectProblem(await call("POST", `/v1/sessions/${id}/cancel`, bob.accessToken, {}), 403, "not_owner");
    expectProblem(await call("POST", `/v1/sessions/${id}/cancel`, carl.accessToken, {}), 403);
    expectProblem(await call("POST", `/v1/sessions/${id}/cancel`, alice.accessToken, { reason: "storm", extra: 1 }), 400);
    expect((await call("GET", `/v1/sessions/${id}`)).json().status).toBe("draft");

    const first = await call("POST", `/v1/sessions/${id}/cancel`, alice.accessToken, { reason: "storm" });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ sessionId: id, status: "cancelled", ordersToRefund: 0 });
    const again = await call("POST", `/v1/sessions/${id}/cancel`, alice.accessToken, {});
    expect(again.json().cancelledAt).toBe(first.json().cancelledAt);
    expect((await call("GET", `/v1/sessions/${id}`)).json().status).toBe("cancelled");
    const stored = await stack.bus.jsm.streams.getMessage(STREAMS.orders, { last_by_subj: sessionCancelledSubject(id) });
    expect(OrderEvent.parse(stored!.json())).toMatchObject({ type: "SessionCancelled", sessionId: id, cancelledBy: alice.id, reason: "storm" });
    // Nothing about a cancelled session changes any more.
    expectProblem(await call("PATCH", `/v1/sessions/${id}`, alice.accessToken, { saleEndsAt: iso(Date.now() + 28 * DAY) }), 409, "session_cancelled");
  });

  it("venues: the seat map as runs decodes to the venue's own, is kept by browsers for good, and answers 304 to its ETag", async () => {
    const full = await call("GET", `/v1/venues/${venueId}`);
    const runs = await call("GET", `/v1/venues/${venueId}/seat-map`);
    expect(runs.statusCode).toBe(200);
    expect(runs.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(full.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(runs.json()).toMatchObject({ id: venueId, format: "runs-1" });
    expect(decodeSeatMap(runs.json())).toEqual(full.json().seatMap);
    const again = await stack.call({ method: "GET", url: `/v1/venues/${venueId}/seat-map`, headers: { "if-none-match": String(runs.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expectProblem(await call("GET", `/v1/venues/${randomUUID()}/seat-map`), 404, "venue_not_found");
    expectProblem(await call("GET", "/v1/venues/nope/seat-map"), 400);
  });
});

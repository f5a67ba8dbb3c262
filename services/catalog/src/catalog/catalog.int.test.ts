import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, startCatalogStack } from "../testing/catalog-stack.ts";

const PROBLEM = "application/problem+json";

const smallMap = {
  areas: [
    { id: "A", name: "Stalls", rowCount: 3, seatsPerRow: 4 },
    { id: "B", name: "Balcony", rows: [{ label: "AA", seats: [{ number: 1, x: 0, y: 0 }, { number: 2, x: 1, y: 0 }] }] },
  ],
};
const sessionBody = (areaIds = ["A", "B"]) => ({
  startsAt: "2030-06-01T19:00:00Z",
  endsAt: "2030-06-01T22:00:00Z",
  saleStartsAt: "2030-05-01T10:00:00Z",
  saleEndsAt: "2030-06-01T18:00:00Z",
  priceCategories: [{ name: "Standard", areaIds, price: { amount: "45.00", currency: "EUR" } }],
  holdTtlSeconds: 300,
  maxSeatsPerHold: 6,
  waitingRoom: { enabled: true, admitPerSecond: 50 },
});

describe("catalog", () => {
  let stack: CatalogStack;
  let alice: { accessToken: string; id: string };
  let bob: { accessToken: string; id: string };
  let customer: { accessToken: string };
  let venueId: string;
  let eventId: string;

  /** Row counts of every catalog table: bad input must leave them as they were. */
  const counts = async () =>
    (
      await stack.db.sql`select (select count(*) from venues)::int as venues, (select count(*) from events)::int as events,
        (select count(*) from sessions)::int as sessions, (select count(*) from price_categories)::int as categories`
    )[0];

  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toContain(PROBLEM);
    expect(res.json()).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
  };

  beforeAll(async () => {
    // No ticket workers run here: a publish can only time out, so let it do so quickly.
    stack = await startCatalogStack({ PUBLISH_TIMEOUT_MS: "1500" });
    [alice, bob, customer] = await Promise.all([
      stack.user("alice@example.com", ["organizer"]),
      stack.user("bob@example.com", ["organizer"]),
      stack.user("carl@example.com"),
    ]);
    const venue = await stack.call({ method: "POST", url: "/v1/venues", token: alice.accessToken, payload: { name: "Arena", address: "1 Main St", seatMap: smallMap } });
    venueId = venue.json().id;
    const event = await stack.call({
      method: "POST",
      url: "/v1/events",
      token: alice.accessToken,
      payload: { venueId, name: "Rock Night", description: "Loud.", category: "Music", tags: ["rock"] },
    });
    eventId = event.json().id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("venues: created with capacity and areas; read back with the expanded seat map", async () => {
    const read = await stack.call({ method: "GET", url: `/v1/venues/${venueId}` });
    expect(read.statusCode).toBe(200);
    const venue = read.json();
    expect(venue).toMatchObject({ id: venueId, ownerId: alice.id, name: "Arena", capacity: 14, areas: [{ id: "A", seatCount: 12 }, { id: "B", seatCount: 2 }] });
    expect(venue.seatMap.areas[1].rows[0].seats[1]).toEqual({ id: "B-AA-2", number: 2, x: 1, y: 0 });
    expect(read.headers["content-type"]).toContain("application/json");
    const again = await stack.call({ method: "GET", url: `/v1/venues/${venueId}`, headers: { "if-none-match": String(read.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const list = await stack.call({ method: "GET", url: "/v1/venues?name=arena" });
    expect(list.json().items.map((v: { id: string }) => v.id)).toEqual([venueId]);
  });

  it("events: created by the venue's organizer, category normalised; read back with its sessions", async () => {
    const read = await stack.call({ method: "GET", url: `/v1/events/${eventId}` });
    expect(read.json()).toMatchObject({ id: eventId, venueId, organizerId: alice.id, category: "music", tags: ["rock"], sessions: [] });
  });

  it("sessions: created with price categories, limits and waiting room; readable by anyone", async () => {
    const created = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: sessionBody() });
    expect(created.statusCode).toBe(201);
    const session = created.json();
    expect(session).toMatchObject({
      eventId,
      venueId,
      organizerId: alice.id,
      status: "draft",
      holdTtlSeconds: 300,
      maxSeatsPerHold: 6,
      maxSeatsPerBuyer: 6,
      waitingRoom: { enabled: true, admitPerSecond: 50 },
      saleStartsAt: "2030-05-01T10:00:00.000Z",
      priceCategories: [{ name: "Standard", areaIds: ["A", "B"], price: { amount: "45.00", currency: "EUR" } }],
    });
    const read = await stack.call({ method: "GET", url: `/v1/sessions/${session.id}` });
    expect(read.json()).toEqual(session);
    // The draft date shows to its organizer, not to the public.
    const event = await stack.call({ method: "GET", url: `/v1/events/${eventId}`, token: alice.accessToken });
    expect(event.json().sessions).toEqual([expect.objectContaining({ id: session.id, status: "draft", waitingRoom: true })]);
    expect((await stack.call({ method: "GET", url: `/v1/events/${eventId}` })).json().sessions).toEqual([]);
  });

  it("bad input: invalid seat maps are 400 naming the field, and create nothing", async () => {
    const before = await counts();
    const bad = [
      { areas: [] },
      { areas: [{ id: "A-1", name: "dash", rowCount: 1, seatsPerRow: 1 }] },
      { areas: [{ id: "A", name: "half", rowCount: 2 }] },
      { areas: [{ id: "A", name: "neg", rows: [{ label: "1", seats: [{ number: -1 }] }] }] },
      { areas: [{ id: "A", name: "x", rows: [{ label: "1", seats: [{ number: 1 }, { number: 1 }] }] }] },
      { areas: [{ id: "A", name: "x", rowCount: 1, seatsPerRow: 1 }, { id: "A", name: "y", rowCount: 1, seatsPerRow: 1 }] },
      { areas: Array.from({ length: 3 }, (_, i) => ({ id: `Z${i}`, name: "big", rowCount: 2000, seatsPerRow: 17 })) },
    ];
    for (const seatMap of bad) {
      const res = await stack.call({ method: "POST", url: "/v1/venues", token: alice.accessToken, payload: { name: "Bad", address: "x", seatMap } });
      expectProblem(res, 400, "validation");
      expect(res.json().errors.length).toBeGreaterThan(0);
      expect(res.json().errors[0].path).toMatch(/^body\.seatMap/);
    }
    const dup = await stack.call({ method: "POST", url: "/v1/venues", token: alice.accessToken, payload: { name: "Bad", address: "x", seatMap: bad[4] } });
    expect(dup.json().errors).toEqual([{ path: "body.seatMap.areas.0.rows.0.seats.1.number", message: "duplicate seat id A-1-1" }]);
    const big = await stack.call({ method: "POST", url: "/v1/venues", token: alice.accessToken, payload: { name: "Bad", address: "x", seatMap: bad[6] } });
    expect(big.json().errors).toEqual([{ path: "body.seatMap.areas", message: "102000 seats: a venue has at most 100000" }]);
    expect(await counts()).toEqual(before);
  });

  it("bad input: sessions ending before they start, or naming unknown areas, are refused and create nothing", async () => {
    const before = await counts();
    const backwards = await stack.call({
      method: "POST",
      url: `/v1/events/${eventId}/sessions`,
      token: alice.accessToken,
      payload: { ...sessionBody(), endsAt: "2030-06-01T18:00:00Z" },
    });
    expectProblem(backwards, 400, "validation");
    expect(backwards.json().errors).toContainEqual({ path: "body.endsAt", message: "must be after startsAt" });

    const unknown = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: sessionBody(["A", "Nope"]) });
    expectProblem(unknown, 422, "unknown_areas");
    expect(unknown.json().errors).toEqual([{ path: "body.priceCategories.0.areaIds.1", message: "the venue has no area Nope" }]);
    expect(await counts()).toEqual(before);
  });

  it("bad input: a currency Rush does not sell in, or a price finer than its minor unit, is 400 and creates nothing", async () => {
    const before = await counts();
    const priced = (price: object) => ({ ...sessionBody(), priceCategories: [{ name: "Standard", areaIds: ["A", "B"], price }] });
    const unknown = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: priced({ amount: "45.00", currency: "XYZ" }) });
    expectProblem(unknown, 400, "validation");
    expect(unknown.json().errors).toContainEqual({ path: "body.priceCategories.0.price.currency", message: expect.stringContaining("not a supported currency") });
    const halfYen = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: priced({ amount: "5000.50", currency: "JPY" }) });
    expectProblem(halfYen, 400, "validation");
    expect(halfYen.json().errors).toContainEqual({ path: "body.priceCategories.0.price.amount", message: "JPY has no decimals" });
    expect(await counts()).toEqual(before);
    const yen = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: priced({ amount: "5000", currency: "JPY" }) });
    expect(yen.statusCode).toBe(201);
  });

  it("bad input: another organizer's event or venue is 403, a customer cannot write, and nothing changes", async () => {
    const before = await counts();
    const session = await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: bob.accessToken, payload: sessionBody() });
    expectProblem(session, 403, "not_owner");
    const edit = await stack.call({ method: "PATCH", url: `/v1/events/${eventId}`, token: bob.accessToken, payload: { name: "Bob's now" } });
    expectProblem(edit, 403, "not_owner");
    const event = await stack.call({ method: "POST", url: "/v1/events", token: bob.accessToken, payload: { venueId, name: "Squat", category: "music" } });
    expectProblem(event, 403, "not_owner");
    const asCustomer = await stack.call({ method: "POST", url: "/v1/venues", token: customer.accessToken, payload: { name: "V", address: "x", seatMap: smallMap } });
    expectProblem(asCustomer, 403, "forbidden");
    const anonymous = await stack.call({ method: "POST", url: "/v1/events", payload: { venueId, name: "Anon", category: "music" } });
    expectProblem(anonymous, 401, "unauthorized");
    expect(await counts()).toEqual(before);
    expect((await stack.call({ method: "GET", url: `/v1/events/${eventId}` })).json().name).toBe("Rock Night");

    const sessionId = (await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: sessionBody() })).json().id;
    const publish = await stack.call({ method: "POST", url: `/v1/sessions/${sessionId}/publish`, token: bob.accessToken });
    expectProblem(publish, 403, "not_owner");
    expect((await stack.call({ method: "GET", url: `/v1/sessions/${sessionId}` })).json().status).toBe("draft");
  });

  it("events: the owner and an admin may edit; an unknown venue is 422; unknown ids are 404", async () => {
    const edited = await stack.call({ method: "PATCH", url: `/v1/events/${eventId}`, token: alice.accessToken, payload: { tags: ["rock", "live"] } });
    expect(edited.json().tags).toEqual(["rock", "live"]);
    const byAdmin = await stack.call({ method: "PATCH", url: `/v1/events/${eventId}`, token: await stack.adminToken(), payload: { description: "Very loud." } });
    expect(byAdmin.json()).toMatchObject({ description: "Very loud.", organizerId: alice.id });
    const noVenue = await stack.call({
      method: "POST",
      url: "/v1/events",
      token: alice.accessToken,
      payload: { venueId: "00000000-0000-4000-8000-000000000000", name: "Nowhere", category: "music" },
    });
    expectProblem(noVenue, 422, "unknown_venue");
    expectProblem(await stack.call({ method: "GET", url: "/v1/events/00000000-0000-4000-8000-000000000000" }), 404, "event_not_found");
    expectProblem(await stack.call({ method: "GET", url: "/v1/sessions/00000000-0000-4000-8000-000000000000" }), 404, "session_not_found");
    expectProblem(await stack.call({ method: "GET", url: "/v1/venues/not-a-uuid" }), 400, "validation");
  });

  it("availability: before publishing, every seat counts in the total and none is available", async () => {
    const sessionId = (await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: sessionBody(["A"]) })).json().id;
    const res = await stack.call({ method: "GET", url: `/v1/sessions/${sessionId}/availability` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      sessionId,
      status: "draft",
      version: 0,
      totals: { total: 14, available: 0 },
      areas: [
        { id: "A", total: 12, available: 0, priceCategoryId: expect.any(String) },
        { id: "B", total: 2, available: 0, priceCategoryId: null },
      ],
      priceCategories: [{ name: "Standard", total: 12, available: 0 }],
    });
  });

  it("publish: without a seat engine answering, publish is 504 problem+json and the session is not on sale", async () => {
    const sessionId = (await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: sessionBody() })).json().id;
    const res = await stack.call({ method: "POST", url: `/v1/sessions/${sessionId}/publish`, token: alice.accessToken });
    expectProblem(res, 504, "publish_timeout");
    expect((await stack.call({ method: "GET", url: `/v1/sessions/${sessionId}` })).json().status).toBe("publishing");
  });

  it("publish: a session whose sale is over cannot be published", async () => {
    const past = { ...sessionBody(), startsAt: "2020-06-01T19:00:00Z", endsAt: "2020-06-01T22:00:00Z", saleStartsAt: "2020-05-01T10:00:00Z", saleEndsAt: "2020-06-01T18:00:00Z" };
    const sessionId = (await stack.call({ method: "POST", url: `/v1/events/${eventId}/sessions`, token: alice.accessToken, payload: past })).json().id;
    expectProblem(await stack.call({ method: "POST", url: `/v1/sessions/${sessionId}/publish`, token: alice.accessToken }), 409, "sale_ended");
  });
});

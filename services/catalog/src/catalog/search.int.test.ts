import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, startCatalogStack } from "../testing/catalog-stack.ts";

type Page = { items: { id: string; name: string }[]; nextCursor: string | null };

describe("search", () => {
  let stack: CatalogStack;
  let token: string;
  let venueId: string;

  const createEvent = async (body: { name: string; description?: string; category?: string; tags?: string[] }) => {
    const res = await stack.call({ method: "POST", url: "/v1/events", token, payload: { venueId, category: "music", ...body } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id as string;
  };
  const addSession = (eventId: string, startsAt: string) => {
    const start = Date.parse(startsAt);
    return stack.call({
      method: "POST",
      url: `/v1/events/${eventId}/sessions`,
      token,
      payload: {
        startsAt,
        endsAt: new Date(start + 3 * 3600_000).toISOString(),
        saleStartsAt: new Date(start - 30 * 86_400_000).toISOString(),
        saleEndsAt: new Date(start - 3600_000).toISOString(),
        priceCategories: [{ name: "All", areaIds: ["A"], price: { amount: "10.00", currency: "EUR" } }],
      },
    });
  };
  const search = async (query: string): Promise<Page> => {
    const res = await stack.call({ method: "GET", url: `/v1/events?${query}` });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json();
  };
  const names = (page: Page) => page.items.map((i) => i.name);
  /** Follows nextCursor to the end, `limit` at a time. */
  const allPages = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return seen;
  };

  beforeAll(async () => {
    stack = await startCatalogStack();
    token = (await stack.user("org@example.com", ["organizer"])).accessToken;
    const venue = await stack.call({
      method: "POST",
      url: "/v1/venues",
      token,
      payload: { name: "Club", address: "2 Side St", seatMap: { areas: [{ id: "A", name: "Floor", rowCount: 1, seatsPerRow: 10 }] } },
    });
    venueId = venue.json().id;
    // Created in an order that is not the expected ranking.
    await createEvent({ name: "Summer Evening", description: "An evening of smooth jazz by the river." });
    await createEvent({ name: "Blue Notes", description: "Standards and ballads.", tags: ["jazz", "live"] });
    await createEvent({ name: "Jazz Night", description: "Quartets from the city." });
    await createEvent({ name: "Metallica Tribute", description: "Covers of the classics.", category: "rock" });
    await createEvent({ name: "Symphony No. 9", description: "Beethoven's last symphony.", category: "classical" });
    const june = await createEvent({ name: "Opera Gala June", category: "classical" });
    const july = await createEvent({ name: "Opera Gala July", category: "classical" });
    await addSession(june, "2030-06-15T19:00:00Z");
    await addSession(july, "2030-07-15T19:00:00Z");
    for (let i = 1; i <= 23; i++) await createEvent({ name: `Harbour Festival ${i}`, description: "Boats and music.", category: "festival" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("search: a name match ranks above a tag match, which ranks above a description match", async () => {
    expect(names(await search("q=jazz"))).toEqual(["Jazz Night", "Blue Notes", "Summer Evening"]);
  });

  it("search: tolerates typos in the name (pg_trgm) and completes prefixes", async () => {
    expect(names(await search("q=metalica"))).toEqual(["Metallica Tribute"]);
    expect(names(await search("q=symphny"))).toContain("Symphony No. 9");
    expect(names(await search("q=symph"))).toEqual(["Symphony No. 9"]);
    expect(names(await search("q=opera%20ga"))).toEqual(expect.arrayContaining(["Opera Gala June", "Opera Gala July"]));
    expect(names(await search("q=beethoven"))).toEqual(["Symphony No. 9"]);
    expect((await search("q=zzzzqqq")).items).toEqual([]);
  });

  it("search: filters by category and by the dates of sessions", async () => {
    expect(names(await search("category=rock"))).toEqual(["Metallica Tribute"]);
    expect(names(await search("q=opera&category=Classical")).sort()).toEqual(["Opera Gala July", "Opera Gala June"]);
    expect(names(await search("from=2030-06-01&to=2030-06-30"))).toEqual(["Opera Gala June"]);
    expect(names(await search("from=2030-07-01T00:00:00Z"))).toEqual(["Opera Gala July"]);
    expect(names(await search("to=2030-06-15"))).toEqual(["Opera Gala June"]);
    // A draft date is the organizer's business: the public search does not show it.
    const withSessions = await search("q=opera%20gala%20june");
    expect(withSessions.items[0]).toMatchObject({ sessions: [] });
  });

  it("search: ranked pages have no duplicates or gaps, even among equal scores", async () => {
    const everything = (await search("q=harbour%20festival&limit=100")).items.map((i) => i.id);
    expect(everything).toHaveLength(23);
    for (const limit of [1, 4, 7]) expect(await allPages("q=harbour%20festival", limit)).toEqual(everything);
  });

  it("search: unranked pages (newest first) have no duplicates or gaps", async () => {
    const everything = (await search("limit=100")).items.map((i) => i.id);
    expect(everything).toHaveLength(30);
    expect(new Set(everything).size).toBe(30);
    expect(await allPages("category=festival", 5)).toEqual((await search("category=festival&limit=100")).items.map((i) => i.id));
    expect(await allPages("x=1", 8)).toEqual(everything);
  });

  it("search: a forged cursor or a bad limit is 400 problem+json", async () => {
    const forged = await stack.call({ method: "GET", url: "/v1/events?q=jazz&cursor=bm9wZQ" });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: "invalid_cursor" });
    expect((await stack.call({ method: "GET", url: "/v1/events?limit=1000" })).statusCode).toBe(400);
    expect((await stack.call({ method: "GET", url: "/v1/events?from=yesterday" })).statusCode).toBe(400);
  });

  it("search: sort=date lists only events with a published date still to come, soonest first, page by page", async () => {
    // Drafts only so far: nothing is public yet.
    expect((await search("sort=date")).items).toEqual([]);
    await stack.db.sql`update sessions set status = 'on_sale', published_at = now()`;
    const byDate = await search("sort=date");
    expect(names(byDate)).toEqual(["Opera Gala June", "Opera Gala July"]);
    expect(byDate.items[0]).toMatchObject({ sessions: [{ startsAt: "2030-06-15T19:00:00.000Z", status: "on_sale", waitingRoom: false }] });
    expect(await allPages("sort=date", 1)).toEqual(byDate.items.map((i) => i.id));
    expect(names(await search("sort=date&q=july"))).toEqual(["Opera Gala July"]);
    // A date that has ended leaves the listing.
    await stack.db.sql`update sessions set starts_at = now() - interval '2 days', ends_at = now() - interval '1 day', sale_starts_at = now() - interval '9 days', sale_ends_at = now() - interval '2 days' where starts_at = '2030-06-15T19:00:00Z'`;
    expect(names(await search("sort=date"))).toEqual(["Opera Gala July"]);
    const forged = await stack.call({ method: "GET", url: "/v1/events?sort=date&cursor=bm9wZQ" });
    expect(forged.statusCode).toBe(400);
    expect((await stack.call({ method: "GET", url: "/v1/events?sort=newest" })).statusCode).toBe(400);
  });

  it("search: a cursor that is not base64url JSON, or whose key is not a time or a score, is 400", async () => {
    const forge = (key: object) => Buffer.from(JSON.stringify(key)).toString("base64url");
    const id = "0b9c2d4e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    for (const cursor of [
      "%%%garbage",
      encodeURIComponent("%%%garbage"),
      forge({ c: "not-a-time", id }),
      forge({ c: "2026-13-45 99:99:99+00", id }),
      forge({ c: "2026-01-01 10:00:00.123456+00" }),
    ]) {
      const answer = await stack.call({ method: "GET", url: `/v1/events?cursor=${cursor}` });
      expect(answer.statusCode, cursor).toBe(400);
      expect(answer.headers["content-type"]).toContain("application/problem+json");
    }
    const ranked = await stack.call({ method: "GET", url: `/v1/events?q=jazz&cursor=${forge({ s: "1e999", id })}` });
    expect(ranked.statusCode).toBe(400);
    // A well-formed key we could have given out still pages (no match after it: an empty page).
    const fine = await stack.call({ method: "GET", url: `/v1/events?cursor=${forge({ c: "1970-01-02 00:00:00+00", id })}` });
    expect(fine.statusCode).toBe(200);
  });
});

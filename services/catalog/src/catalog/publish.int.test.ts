import { randomUUID } from "node:crypto";
import { type SeatEvent, redisKeys } from "@rush/contracts";
import { type ServiceProcess, spawnService } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, startCatalogStack } from "../testing/catalog-stack.ts";

/** A bowl of `areas` areas, `rows × perRow` seats each. */
const bowl = (areas: number, rows: number, perRow: number) => ({
  areas: Array.from({ length: areas }, (_, i) => ({ id: `S${i + 1}`, name: `Section ${i + 1}`, rowCount: rows, seatsPerRow: perRow })),
});

describe("publishing", () => {
  let stack: CatalogStack;
  let workers: ServiceProcess[] = [];
  let token: string;

  const createSession = async (seatMap: object, areaIds: string[], extra: object = {}) => {
    const venue = await stack.call({ method: "POST", url: "/v1/venues", token, payload: { name: "Bowl", address: "1 Ring Rd", seatMap } });
    expect(venue.statusCode).toBe(201);
    const event = await stack.call({ method: "POST", url: "/v1/events", token, payload: { venueId: venue.json().id, name: "Final", category: "sports" } });
    const now = Date.now();
    const session = await stack.call({
      method: "POST",
      url: `/v1/events/${event.json().id}/sessions`,
      token,
      payload: {
        startsAt: new Date(now + 30 * 86_400_000).toISOString(),
        endsAt: new Date(now + 30 * 86_400_000 + 7_200_000).toISOString(),
        saleStartsAt: new Date(now - 60_000).toISOString(),
        saleEndsAt: new Date(now + 29 * 86_400_000).toISOString(),
        priceCategories: [{ name: "Standard", areaIds, price: { amount: "30.00", currency: "EUR" } }],
        ...extra,
      },
    });
    expect(session.statusCode).toBe(201);
    return session.json().id as string;
  };
  const publish = (sessionId: string) => stack.call({ method: "POST", url: `/v1/sessions/${sessionId}/publish`, token });
  const hold = async (sessionId: string, areaId: string, seatIds: string[]) => {
    const outcome = await stack.seatCommands.send(
      { type: "HoldSeats", commandId: randomUUID(), holdId: randomUUID(), buyerId: "buyer-1", sessionId, areaId, seatIds, now: Date.now() },
      { timeoutMs: 10_000 },
    );
    expect(outcome.status).toBe("done");
    return outcome.status === "done" ? outcome.reply.events : ([] as SeatEvent[]);
  };

  beforeAll(async () => {
    stack = await startCatalogStack();
    const env = { NATS_URL: stack.nats.url, REDIS_URL: stack.redisServer.url, PARTITIONS: String(stack.config.PARTITIONS), LOG_LEVEL: "warn" };
    workers = await Promise.all([
      spawnService("ticket", { ...env, WORKER_ID: "catalog-test-1" }),
      spawnService("ticket", { ...env, WORKER_ID: "catalog-test-2" }),
    ]);
    token = (await stack.user("org@example.com", ["organizer"])).accessToken;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await stack?.close();
  });

  it("publish: loads every priced area into the engine, goes on sale, and the engine holds seats", async () => {
    const sessionId = await createSession(bowl(3, 4, 5), ["S1", "S2"]);
    const res = await publish(sessionId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: sessionId,
      status: "on_sale",
      publishedAt: expect.any(String),
      inventory: { seats: 40, areas: [{ id: "S1", seats: 20 }, { id: "S2", seats: 20 }] },
    });
    // The read model has exactly the priced seats; the unpriced area is not on sale.
    const readModel = await stack.redis.hgetall(redisKeys.seatMap(sessionId));
    expect(Object.keys(readModel)).toHaveLength(40);
    expect(readModel["S3-1-1"]).toBeUndefined();

    const events = await hold(sessionId, "S1", ["S1-2-3", "S1-2-4"]);
    expect(events).toEqual([expect.objectContaining({ type: "SeatsHeld", seatIds: ["S1-2-3", "S1-2-4"] })]);

    await expect
      .poll(async () => (await stack.call({ method: "GET", url: `/v1/sessions/${sessionId}/availability` })).json(), { timeout: 5000, interval: 300 })
      .toMatchObject({
        status: "on_sale",
        totals: { total: 60, available: 38, held: 2, sold: 0 },
        areas: [{ id: "S1", available: 18, held: 2 }, { id: "S2", available: 20 }, { id: "S3", total: 20, available: 0, priceCategoryId: null }],
        priceCategories: [{ name: "Standard", total: 40, available: 38, held: 2 }],
      });
  });

  it("publish: publishing again (and concurrently) is idempotent: held seats stay held", async () => {
    const sessionId = await createSession(bowl(2, 2, 3), ["S1", "S2"]);
    expect((await publish(sessionId)).statusCode).toBe(200);
    await hold(sessionId, "S2", ["S2-1-1"]);
    const again = await Promise.all([publish(sessionId), publish(sessionId), publish(sessionId)]);
    expect(again.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(await stack.redis.hget(redisKeys.seatMap(sessionId), "S2-1-1")).toBe("h:buyer-1");
    expect(await hold(sessionId, "S2", ["S2-1-1"])).toEqual([expect.objectContaining({ type: "HoldRejected", reason: "unavailable" })]);
  });

  it("publish: the session's limits reach the engine (max seats per hold)", async () => {
    const sessionId = await createSession(bowl(1, 2, 10), ["S1"], { maxSeatsPerHold: 2 });
    expect((await publish(sessionId)).statusCode).toBe(200);
    const events = await hold(sessionId, "S1", ["S1-1-1", "S1-1-2", "S1-1-3"]);
    expect(events).toEqual([expect.objectContaining({ type: "HoldRejected", reason: "limit_exceeded" })]);
  });

  it("publish: a 100,000-seat session opens, its seat map is served and the engine holds seats", async () => {
    const areaIds = Array.from({ length: 20 }, (_, i) => `S${i + 1}`);
    const sessionId = await createSession(bowl(20, 100, 50), areaIds);
    const started = performance.now();
    const res = await publish(sessionId);
    const ms = performance.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json().inventory.seats).toBe(100_000);
    console.info(`publish: 100,000 seats opened in ${Math.round(ms)} ms`);
    expect(await stack.redis.hlen(redisKeys.seatMap(sessionId))).toBe(100_000);
    const events = await hold(sessionId, "S20", ["S20-100-49", "S20-100-50"]);
    expect(events[0]?.type).toBe("SeatsHeld");
    const venue = await stack.call({ method: "GET", url: `/v1/venues/${res.json().venueId}` });
    expect(venue.statusCode).toBe(200);
    expect(venue.json().capacity).toBe(100_000);
    const availability = await stack.call({ method: "GET", url: `/v1/sessions/${sessionId}/availability` });
    expect(availability.json().totals).toMatchObject({ total: 100_000, available: 100_000 - 2, held: 2 });
  });
});

import { randomUUID } from "node:crypto";
import { redisKeys } from "@rush/contracts";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";

/**
 * The seat map in a sale: re-read at most every SEAT_MAP_REFRESH_MS however often it changes
 * (a 20,000-seat re-read is ~30 ms of the gate's CPU), yet a buyer always sees their own new
 * hold. The gate's clock is moved by hand so the window is exact.
 */
describe("seat map under change (ticket worker + gate, real NATS/Redis/Postgres)", () => {
  const WINDOW_MS = 60_000;
  let database: TestDatabase;
  let stack: Stack;
  let app: FastifyInstance;
  let sessionId: string;
  let shift = 0;
  const clock = { now: () => Date.now() + shift };

  const statusOf = async (token: string | undefined, seatId: string) => {
    const res = await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats`, headers: browserHeaders(token) });
    expect(res.statusCode).toBe(200);
    return res.json().areas[0].seats.find((s: { id: string }) => s.id === seatId)?.status as string;
  };
  const hold = (token: string, seatId: string) =>
    app.inject({
      method: "POST",
      url: `/v1/sessions/${sessionId}/holds`,
      headers: { ...browserHeaders(token), "idempotency-key": randomUUID() },
      payload: { seatIds: [seatId] },
    });

  beforeAll(async () => {
    database = await testDatabase("gateseatmap");
    stack = await startStack(database);
    app = await gateApp(stack, { SEAT_MAP_REFRESH_MS: String(WINDOW_MS) }, clock);
    sessionId = await seedSession(stack, { areas: [{ id: "A", rows: 2, perRow: 10, price: "30.00" }] });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.close();
    await database?.drop();
  });

  it("seats: a buyer sees their own new hold at once; others get a map at most the window old", async () => {
    const watcher = accessToken(randomUUID());
    const alice = accessToken(randomUUID());
    expect(await statusOf(watcher, "A-1-1")).toBe("available");
    const version = Number(await stack.redis.get(redisKeys.seatMapVersion(sessionId)));

    expect((await hold(alice, "A-1-1")).statusCode).toBe(201);
    expect(Number(await stack.redis.get(redisKeys.seatMapVersion(sessionId)))).toBeGreaterThan(version);
    // Within the window the watcher is served the map it had (the live feed carries the change).
    expect(await statusOf(watcher, "A-1-1")).toBe("available");
    expect(await statusOf(undefined, "A-1-1")).toBe("available");
    // What the API just told Alice is what her map shows, and the map she loaded serves everyone.
    expect(await statusOf(alice, "A-1-1")).toBe("mine");
    expect(await statusOf(watcher, "A-1-1")).toBe("held");

    // Someone else's hold: seen by everyone once the window has passed.
    expect((await hold(accessToken(randomUUID()), "A-1-2")).statusCode).toBe(201);
    expect(await statusOf(watcher, "A-1-2")).toBe("available");
    shift += WINDOW_MS;
    expect(await statusOf(watcher, "A-1-2")).toBe("held");
    expect(await statusOf(alice, "A-1-1")).toBe("mine");
  });

  it("seats: a holder sees what they did to their own seats at once, without re-reading everyone's map for it", async () => {
    shift += WINDOW_MS;
    const watcher = accessToken(randomUUID());
    const bob = accessToken(randomUUID());
    const held = await hold(bob, "A-2-1");
    expect(held.statusCode).toBe(201);
    const holdId = held.json().holdId as string;
    expect((await hold(bob, "A-2-2")).statusCode).toBe(201);
    // Past the few seconds in which a map read may still lack a hold just granted (HOLD_WAIT_MS +
    // LIVE_HOLD_GRACE_MS): from then on, Bob's looks need no re-read of the map.
    shift += 6_000;
    expect(await statusOf(bob, "A-2-1")).toBe("mine");
    expect(await statusOf(watcher, "A-2-1")).toBe("held");

    // Someone else's hold after the map was read: not in the shared map within the window.
    expect((await hold(accessToken(randomUUID()), "A-2-5")).statusCode).toBe(201);
    const released = await app.inject({ method: "DELETE", url: `/v1/holds/${holdId}`, headers: browserHeaders(bob) });
    expect(released.statusCode).toBe(204);
    await expect.poll(() => stack.redis.hget(redisKeys.seatMap(sessionId), "A-2-1")).toBe("a");
    // Bob's own seats are read fresh: the one he released is free, the other still his.
    expect(await statusOf(bob, "A-2-1")).toBe("available");
    expect(await statusOf(bob, "A-2-2")).toBe("mine");
    // Seeing that did not re-read the whole map: the shared one is still the window's.
    expect(await statusOf(bob, "A-2-5")).toBe("available");
    expect(await statusOf(watcher, "A-2-1")).toBe("held");
    shift += WINDOW_MS;
    expect(await statusOf(watcher, "A-2-1")).toBe("available");
    expect(await statusOf(watcher, "A-2-5")).toBe("held");
  });

  it("seats: buyers whose new holds the map lacks, looking at once, share one re-read of it", async () => {
    shift += WINDOW_MS;
    expect(await statusOf(accessToken(randomUUID()), "A-1-3")).toBe("available");
    const seats = ["A-1-3", "A-1-4", "A-1-5", "A-1-6", "A-1-7", "A-1-8"];
    const buyers = seats.map(() => accessToken(randomUUID()));
    for (const [i, seat] of seats.entries()) expect((await hold(buyers[i]!, seat)).statusCode).toBe(201);
    const reads = async () => Number(/cmdstat_hgetall:calls=(\d+)/.exec(await stack.redis.info("commandstats"))?.[1] ?? 0);
    const before = await reads();
    const seen = await Promise.all(seats.map((seat, i) => statusOf(buyers[i], seat)));
    expect(seen).toEqual(seats.map(() => "mine"));
    expect((await reads()) - before).toBe(1);
  });
});

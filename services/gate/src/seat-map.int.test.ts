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
});

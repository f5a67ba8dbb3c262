import { randomUUID } from "node:crypto";
import { type ServiceProcess, type TestDatabase, spawnService } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, TEST_JWT_SECRET, browserHeaders, spawnGate, startStack } from "./test-stack.ts";

/**
 * A buyer's whole path through the public API on one port, with every service a real process:
 * identity and catalog (through the gate's proxy), the seat engine, and the gate. The access
 * tokens are the catalog's own.
 */
describe("full stack through the gate (catalog + ticket worker + gate processes)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let catalog: ServiceProcess;
  let gate: ServiceProcess;
  let sessionId: string;
  let buyerToken: string;
  let holdId: string;

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gate.url}${path}`, {
      method,
      headers: { ...browserHeaders(token), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  beforeAll(async () => {
    database = await testDatabase("gatee2e");
    stack = await startStack(database);
    catalog = await spawnService("catalog", { ...stack.env, JWT_SECRET: TEST_JWT_SECRET, SCRYPT_LOG_N: "10", PASSWORD_HASH_THREADS: "1" });
    gate = await spawnGate(stack, { CATALOG_URL: catalog.url });
  });
  afterAll(async () => {
    await gate?.stop();
    await catalog?.stop();
    await stack?.close();
    await database?.drop();
  });

  it("full stack: the organizer sets up and publishes a session through the gate", async () => {
    const login = await call("POST", "/v1/auth/login", undefined, { email: "admin@example.com", password: "admin-dev-password" });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const admin = login.body.accessToken as string;
    const venue = await call("POST", "/v1/venues", admin, {
      name: "Hall",
      address: "1 Main St",
      seatMap: { areas: [{ id: "A", name: "Stalls", rowCount: 5, seatsPerRow: 10 }] },
    });
    expect(venue.status, JSON.stringify(venue.body)).toBe(201);
    const event = await call("POST", "/v1/events", admin, { venueId: venue.body.id, name: "Gate night", category: "music" });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    const now = Date.now();
    const session = await call("POST", `/v1/events/${event.body.id}/sessions`, admin, {
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now + 90_000_000).toISOString(),
      saleStartsAt: new Date(now - 60_000).toISOString(),
      saleEndsAt: new Date(now + 3_600_000).toISOString(),
      priceCategories: [{ name: "Stalls", areaIds: ["A"], price: { amount: "45.00", currency: "EUR" } }],
      maxSeatsPerHold: 4,
      waitingRoom: { enabled: true, admitPerSecond: 50 },
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    sessionId = session.body.id;
    const published = await call("POST", `/v1/sessions/${sessionId}/publish`, admin);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });

  it("full stack: a buyer registers, logs in, queues, holds with the admission token, sees and releases the hold", async () => {
    const email = `buyer-${randomUUID()}@example.com`;
    const registered = await call("POST", "/v1/auth/register", undefined, { email, password: "buyer-password-1", displayName: "Buyer" });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const login = await call("POST", "/v1/auth/login", undefined, { email, password: "buyer-password-1" });
    buyerToken = login.body.accessToken;
    expect((await call("GET", "/v1/me", buyerToken)).body).toMatchObject({ email, roles: ["customer"] });

    const seats = await call("GET", `/v1/sessions/${sessionId}/seats`, buyerToken);
    expect(seats.status).toBe(200);
    expect(seats.body.areas[0].seats).toHaveLength(50);

    const withoutAdmission = await call("POST", `/v1/sessions/${sessionId}/holds`, buyerToken, { areaId: "A", quantity: 2 }, { "idempotency-key": randomUUID() });
    expect(withoutAdmission.status).toBe(403);
    const queue = await call("POST", `/v1/sessions/${sessionId}/queue`, buyerToken);
    expect(queue.body).toMatchObject({ admitted: true, position: 0, admissionToken: expect.any(String) });

    const held = await call(
      "POST",
      `/v1/sessions/${sessionId}/holds`,
      buyerToken,
      { areaId: "A", quantity: 2 },
      { "idempotency-key": randomUUID(), "x-admission-token": queue.body.admissionToken },
    );
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    holdId = held.body.holdId;
    expect(held.body.seats).toHaveLength(2);
    for (const seat of held.body.seats) expect(seat).toMatchObject({ id: expect.stringMatching(/^A-1-\d+$/), price: { amount: "45.00", currency: "EUR" } });
    const mine = (await call("GET", `/v1/sessions/${sessionId}/seats`, buyerToken)).body.areas[0].seats.filter((s: { status: string }) => s.status === "mine");
    expect(mine.map((s: { id: string }) => s.id)).toEqual(held.body.seats.map((s: { id: string }) => s.id));
    const availability = await call("GET", `/v1/sessions/${sessionId}/availability`, buyerToken);
    expect(availability.status).toBe(200);
    expect(JSON.stringify(availability.body)).toContain('"held":2');
    expect((await call("GET", `/v1/holds/${holdId}`, buyerToken)).body).toMatchObject({ holdId, status: "held" });
    expect((await call("DELETE", `/v1/holds/${holdId}`, buyerToken)).status).toBe(204);
    expect((await call("GET", `/v1/holds/${holdId}`, buyerToken)).body.status).toBe("released");
  });

  it("full stack: OpenAPI at /docs/json covers the buying and the proxied routes", async () => {
    const spec = await call("GET", "/docs/json");
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(["/v1/sessions/{id}/holds", "/v1/sessions/{id}/publish", "/v1/me"]));
  });
});

import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { PROBLEM_CONTENT_TYPE, holdIdFor, commandIdFor, orderIdForHold } from "@rush/contracts";
import { SPARSE_STATUSES, forEachSeatInRuns } from "@rush/contracts/seat-state-runs";
import { type TestDatabase, spawnService } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeatCommandClient } from "@rush/bus";
import { seatReplyLookup } from "@rush/service";
import { type Stack, TEST_PARTITIONS, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";
import { createGateRedis } from "./gate-redis.ts";

describe("buying endpoints (ticket worker + gate, real NATS/Redis/Postgres)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let app: FastifyInstance;
  let sessionId: string;
  const alice = randomUUID();
  const bob = randomUUID();
  const aliceToken = accessToken(alice);
  const bobToken = accessToken(bob);
  /** A fresh buyer (the live-hold cap is per buyer). */
  const buyer = (): [string, string] => {
    const id = randomUUID();
    return [id, accessToken(id)];
  };

  const hold = (token: string, body: unknown, key = randomUUID(), session = sessionId, extra: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: `/v1/sessions/${session}/holds`,
      headers: { ...browserHeaders(token), "idempotency-key": key, ...extra },
      payload: body as object,
    });
  const seatStatus = async (token: string | undefined, seatId: string, session = sessionId) => {
    const res = await app.inject({ method: "GET", url: `/v1/sessions/${session}/seats`, headers: browserHeaders(token) });
    const area = res.json().areas.find((a: { id: string }) => a.id === seatId.split("-")[0]);
    return area?.seats.find((s: { id: string }) => s.id === seatId)?.status;
  };

  beforeAll(async () => {
    database = await testDatabase("gate");
    stack = await startStack(database);
    app = await gateApp(stack);
    sessionId = await seedSession(stack, { areas: [{ id: "A", rows: 5, perRow: 10, price: "45.00" }, { id: "B", rows: 2, perRow: 5, price: "20.50" }] });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.close();
    await database?.drop();
  });

  it("holds: every Redis script the gate uses is defined by the time it serves (a command defined on first use under auto-pipelining crashed the gate at its first grant)", async () => {
    // Every `defineCommand("rush…")` in the gate's code, tests aside.
    const sources = await Promise.all(
      (await readdir(new URL(".", import.meta.url), { recursive: true }))
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
        .map((file) => readFile(new URL(file, import.meta.url), "utf8")),
    );
    const used = new Set(sources.flatMap((text) => [...text.matchAll(/defineCommand\("(rush\w+)"/g)].map((m) => m[1] ?? "")));
    expect(used.size).toBeGreaterThan(5);
    // A client of its own, configured as the gate's main.ts configures it: nothing defined yet.
    const fresh = createGateRedis(stack.redisServer.url, "gate-scripts-test");
    // Its protections on, as started by ./scripts/start (the tests turn the rate limits off).
    const own = await gateApp({ ...stack, redis: fresh }, { RATE_LIMIT_ENABLED: "true" });
    try {
      const defined = new Set(Object.keys((fresh as unknown as { scriptsSet: Record<string, unknown> }).scriptsSet));
      expect([...used].filter((name) => !defined.has(name))).toEqual([]);
    } finally {
      await own.close();
      fresh.disconnect();
    }
  });

  it("seats: the seat map lists every area and seat, sorted, all available", async () => {
    const res = await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sessionId).toBe(sessionId);
    expect(body.version).toBeGreaterThan(0);
    expect(body.areas.map((a: { id: string }) => a.id)).toEqual(["A", "B"]);
    expect(body.areas[0].seats).toHaveLength(50);
    expect(body.areas[0].seats.slice(0, 2)).toEqual([{ id: "A-1-1", status: "available" }, { id: "A-1-2", status: "available" }]);
    expect(body.areas[0].seats[10].id).toBe("A-2-1");
  });

  it("seats: an unknown session is 404 problem+json", async () => {
    const res = await app.inject({ method: "GET", url: `/v1/sessions/${randomUUID()}/seats` });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json().code).toBe("session_not_found");
  });

  it("seats: ?format=sparse names only the seats that are not available, as runs, the same map as the full form; bad formats are 400", async () => {
    const [, token] = buyer();
    expect((await hold(token, { seatIds: ["B-2-2", "B-2-3", "B-2-4"] })).statusCode).toBe(201);
    const read = async (query: string, viewer?: string) => {
      const res = await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats${query}`, headers: browserHeaders(viewer) });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    /** Every seat that is not available, as `id status`, from either form. */
    const taken = (body: { format?: string; areas: Record<string, unknown>[] }) => {
      const out: string[] = [];
      for (const area of body.areas) {
        if (body.format !== "sparse-1") for (const seat of area.seats as { id: string; status: string }[]) seat.status !== "available" && out.push(`${seat.id} ${seat.status}`);
        else for (const status of SPARSE_STATUSES) forEachSeatInRuns(area.id as string, (area[status] as string[]) ?? [], (id) => out.push(`${id} ${status}`));
      }
      return out.sort();
    };
    const [anonymous, holder] = [await read("?format=sparse"), await read("?format=sparse", token)];
    expect(anonymous).toMatchObject({ sessionId, format: "sparse-1" });
    expect(anonymous.areas.map((a: { id: string }) => a.id)).toEqual(["A", "B"]);
    expect(anonymous.areas[1].held).toContain("2-2~4");
    expect(holder.areas[1].mine).toEqual(["2-2~4"]);
    expect(taken(anonymous)).toEqual(taken(await read("")));
    expect(taken(holder)).toEqual(taken(await read("?format=full", token)));

    const bad = await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats?format=csv` });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    expect(JSON.stringify(bad.json().errors)).toContain("format");
  });

  it("holds: explicit seats → 201 with priced seats, order id and expiry; mine for the owner, held for others", async () => {
    const key = randomUUID();
    const res = await hold(aliceToken, { seatIds: ["A-1-1", "A-1-2"] }, key);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    const holdId = holdIdFor(commandIdFor(alice, key));
    expect(body).toMatchObject({
      holdId,
      orderId: orderIdForHold(holdId),
      sessionId,
      areaId: "A",
      seats: [
        { id: "A-1-1", price: { amount: "45.00", currency: "EUR" } },
        { id: "A-1-2", price: { amount: "45.00", currency: "EUR" } },
      ],
    });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 500_000);
    expect(await seatStatus(aliceToken, "A-1-1")).toBe("mine");
    expect(await seatStatus(bobToken, "A-1-1")).toBe("held");
    expect(await seatStatus(undefined, "A-1-2")).toBe("held");
  });

  it("holds: best available in an area → 201 with seats side by side", async () => {
    const res = await hold(bobToken, { areaId: "B", quantity: 3 });
    expect(res.statusCode).toBe(201);
    const seats = res.json().seats.map((s: { id: string }) => s.id);
    expect(seats).toHaveLength(3);
    expect(new Set(seats.map((id: string) => id.split("-")[1])).size).toBe(1);
    expect(res.json().seats[0].price).toEqual({ amount: "20.50", currency: "EUR" });
  });

  it("holds: with SERVER_TIMING on, a hold's answer says where the gate's milliseconds went; off (the default), it says nothing", async () => {
    const [, token] = buyer();
    const plain = await hold(token, { areaId: "A", quantity: 1 });
    expect(plain.statusCode).toBe(201);
    expect(plain.headers["server-timing"]).toBeUndefined();

    /** A new buyer's hold through `gate`: its Server-Timing header. */
    const timedHold = async (gate: FastifyInstance) => {
      const res = await gate.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(buyer()[1]), "idempotency-key": randomUUID() },
        payload: { areaId: "A", quantity: 1 },
      });
      expect(res.statusCode).toBe(201);
      return String(res.headers["server-timing"]);
    };

    const timed = await gateApp(stack, { SERVER_TIMING: "true" });
    try {
      const header = await timedHold(timed);
      expect(header).toMatch(/^pre;dur=[\d.]+, begin;dur=[\d.]+, engine;dur=[\d.]+, total;dur=[\d.]+$/);
      const [pre, begin, engine, total] = [...header.matchAll(/dur=([\d.]+)/g)].map((m) => Number(m[1]));
      // The engine's answer is a round trip through NATS and a worker: never nothing.
      expect(engine).toBeGreaterThan(0);
      // The three stretches follow one another inside the total (each rounded to 0.1 ms).
      expect(pre! + begin! + engine!).toBeLessThanOrEqual(total! + 0.15);
    } finally {
      await timed.close();
    }

    // As main.ts builds it with SERVER_TIMING on: the engine's stretch, hop by hop, from the actor's own times.
    const hopSeats = await createSeatCommandClient(stack.bus, { partitions: TEST_PARTITIONS, hopTimes: true, lookup: seatReplyLookup(stack.redis) });
    const hopped = await gateApp({ ...stack, seats: hopSeats }, { SERVER_TIMING: "true" });
    try {
      const header = await timedHold(hopped);
      const names = [...header.matchAll(/(\w+);dur=(-?[\d.]+)/g)].map((m) => m[1]);
      expect(names).toEqual(["pre", "begin", "engine", "total", "stream", "delivery", "queue", "actor", "reply"]);
      const dur = Object.fromEntries([...header.matchAll(/(\w+);dur=(-?[\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
      const hops = dur.stream! + dur.delivery! + dur.queue! + dur.actor! + dur.reply!;
      // Whole milliseconds of wall clock from three processes (the gate, nats-server, the worker): each may be off by one.
      for (const name of ["delivery", "queue", "actor", "reply"]) expect(dur[name]).toBeGreaterThanOrEqual(0);
      expect(dur.stream).toBeGreaterThanOrEqual(-1);
      expect(hops).toBeLessThanOrEqual(dur.engine! + 2);
    } finally {
      await hopped.close();
      await hopSeats.close();
    }
  });

  it("holds: with a hold linger, holds wait for company and go together; other routes do not wait", async () => {
    // A linger far beyond the test's timeout: only a full batch (HOLD_LINGER_MAX) can let them go.
    const lingering = await gateApp(stack, { HOLD_LINGER_MS: "60000", HOLD_LINGER_MAX: "3" });
    const session = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 10 }] });
    try {
      const holdVia = () =>
        lingering.inject({
          method: "POST",
          url: `/v1/sessions/${session}/holds`,
          headers: { ...browserHeaders(buyer()[1]), "idempotency-key": randomUUID() },
          payload: { areaId: "A", quantity: 1 },
        });
      let answered = 0;
      const first = [holdVia(), holdVia()].map((p) =>
        p.then((res) => {
          answered++;
          return res;
        }),
      );
      // Two holds wait; the seat map, read meanwhile, does not.
      const map = await lingering.inject({ method: "GET", url: `/v1/sessions/${session}/seats`, headers: browserHeaders(aliceToken) });
      expect(map.statusCode).toBe(200);
      expect(answered).toBe(0);
      // Far sooner than the linger: the third hold filled the batch.
      let timer: NodeJS.Timeout | undefined;
      const lingerOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("the holds waited out the linger")), 20_000)));
      const all = await Promise.race([Promise.all([...first, holdVia()]), lingerOut]).finally(() => clearTimeout(timer));
      expect(all.map((res) => res.statusCode)).toEqual([201, 201, 201]);
      const metrics = (await lingering.internal!.inject({ method: "GET", url: "/metrics" })).body;
      expect(metrics).toMatch(/^gate_hold_linger_batch_sum\{[^}]*\} 3$/m);
      expect(metrics).toMatch(/^gate_hold_linger_batch_count\{[^}]*\} 1$/m);
    } finally {
      await lingering.close();
    }
  });

  it("holds: a taken seat → 409 problem naming the unavailable seats, nothing held", async () => {
    const res = await hold(bobToken, { seatIds: ["A-1-2", "A-1-3"] });
    expect(res.statusCode).toBe(409);
    expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ status: 409, code: "unavailable", unavailable: ["A-1-2"] });
    expect(await seatStatus(bobToken, "A-1-3")).toBe("available");
  });

  it("holds: the same Idempotency-Key and body → the same answer; another body → 422", async () => {
    const key = randomUUID();
    const first = await hold(bobToken, { seatIds: ["A-2-1"] }, key);
    expect(first.statusCode).toBe(201);
    const again = await hold(bobToken, { seatIds: ["A-2-1"] }, key);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers["idempotent-replayed"]).toBe("true");
    const other = await hold(bobToken, { seatIds: ["A-2-2"] }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe("idempotency_key_reused");
    expect(await seatStatus(bobToken, "A-2-2")).toBe("available");
    // The same key from another buyer is another request altogether.
    const alices = await hold(aliceToken, { seatIds: ["A-2-3"] }, key);
    expect(alices.statusCode).toBe(201);
  });

  it("holds: a retry after the sale ended still gets its stored answer; a new request is refused", async () => {
    let now = Date.now();
    const ending = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 2 }], saleEndsAt: new Date(now + 3_600_000) });
    const clocked = await gateApp(stack, {}, { now: () => now });
    const post = (key: string, seatId: string) =>
      clocked.inject({
        method: "POST",
        url: `/v1/sessions/${ending}/holds`,
        headers: { ...browserHeaders(aliceToken), "idempotency-key": key },
        payload: { seatIds: [seatId] },
      });
    try {
      const key = randomUUID();
      const first = await post(key, "A-1-1");
      expect(first.statusCode).toBe(201);
      now += 2 * 3_600_000;
      const again = await post(key, "A-1-1");
      expect(again.statusCode).toBe(201);
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.json()).toEqual(first.json());
      const fresh = await post(randomUUID(), "A-1-2");
      expect(fresh.statusCode).toBe(409);
      expect(fresh.json().code).toBe("sale_ended");
    } finally {
      await clocked.close();
    }
  });

  it("holds: a retry racing the first attempt gets the same hold", async () => {
    const key = randomUUID();
    const [a, b] = await Promise.all([hold(bobToken, { seatIds: ["A-3-1"] }, key), hold(bobToken, { seatIds: ["A-3-1"] }, key)]);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().holdId).toBe(a.json().holdId);
  });

  it("holds: GET /v1/holds/:id shows the owner their hold; another buyer gets 403", async () => {
    const created = (await hold(aliceToken, { seatIds: ["A-4-1", "A-4-2"] })).json();
    const res = await app.inject({ method: "GET", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(aliceToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      holdId: created.holdId,
      orderId: created.orderId,
      sessionId,
      areaId: "A",
      status: "held",
      seats: created.seats,
      expiresAt: created.expiresAt,
    });
    const other = await app.inject({ method: "GET", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(bobToken) });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe("not_owner");
    const missing = await app.inject({ method: "GET", url: `/v1/holds/${randomUUID()}`, headers: browserHeaders(aliceToken) });
    expect(missing.statusCode).toBe(404);
  });

  it("holds: DELETE by the owner → 204, seats available again, hold released; by another → 403", async () => {
    const [, aliceToken] = buyer();
    const created = (await hold(aliceToken, { seatIds: ["A-5-1"] })).json();
    const denied = await app.inject({ method: "DELETE", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(bobToken) });
    expect(denied.statusCode).toBe(403);
    expect(await seatStatus(aliceToken, "A-5-1")).toBe("mine");
    const res = await app.inject({ method: "DELETE", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(aliceToken) });
    expect(res.statusCode).toBe(204);
    expect(await seatStatus(aliceToken, "A-5-1")).toBe("available");
    const after = await app.inject({ method: "GET", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(aliceToken) });
    expect(after.json().status).toBe("released");
    const again = await app.inject({ method: "DELETE", url: `/v1/holds/${created.holdId}`, headers: browserHeaders(aliceToken) });
    expect(again.statusCode).toBe(204);
  });

  it("commands: GET /v1/commands/:id answers the sender with the hold's result; others get 404", async () => {
    const [alice, aliceToken] = buyer();
    const key = randomUUID();
    const created = (await hold(aliceToken, { seatIds: ["A-5-5"] }, key)).json();
    const commandId = commandIdFor(alice, key);
    const res = await app.inject({ method: "GET", url: `/v1/commands/${commandId}`, headers: browserHeaders(aliceToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ commandId, status: "done", result: { statusCode: 201, body: created } });
    const other = await app.inject({ method: "GET", url: `/v1/commands/${commandId}`, headers: browserHeaders(bobToken) });
    expect(other.statusCode).toBe(404);
    const unknown = await app.inject({ method: "GET", url: `/v1/commands/${randomUUID()}`, headers: browserHeaders(aliceToken) });
    expect(unknown.statusCode).toBe(404);
  });

  it("holds: 202 with a command id while the engine is down; the command reports the hold once it is back", async () => {
    const [buyerId, token] = buyer();
    const impatient = await gateApp(stack, { HOLD_WAIT_MS: "300" });
    const [worker] = stack.tickets;
    await worker!.stop();
    try {
      const key = randomUUID();
      const res = await impatient.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(token), "idempotency-key": key },
        payload: { areaId: "A", quantity: 1 },
      });
      expect(res.statusCode).toBe(202);
      const commandId = commandIdFor(buyerId, key);
      expect(res.json()).toEqual({ commandId, status: "pending" });
      expect(res.headers.location).toBe(`/v1/commands/${commandId}`);
      const poll = () => app.inject({ method: "GET", url: `/v1/commands/${commandId}`, headers: browserHeaders(token) });
      expect((await poll()).json()).toEqual({ commandId, status: "pending" });
      stack.tickets[0] = await spawnService("ticket", { ...stack.env, WORKER_ID: "w1", LEASE_RENEW_MS: "300" });
      await expect.poll(async () => (await poll()).json(), { timeout: 20_000 }).toMatchObject({ status: "done", result: { statusCode: 201 } });
      // The retried request now gets the hold itself.
      const retried = await impatient.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(token), "idempotency-key": key },
        payload: { areaId: "A", quantity: 1 },
      });
      expect(retried.statusCode).toBe(201);
      expect(retried.json().holdId).toBe(holdIdFor(commandId));
    } finally {
      await impatient.close();
    }
  });

  it("holds: seats of two areas in one hold → 400", async () => {
    const res = await hold(aliceToken, { seatIds: ["A-1-9", "B-1-1"] });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("seats_span_areas");
  });

  it("holds: an area the session does not sell → 422", async () => {
    const res = await hold(aliceToken, { areaId: "Z", quantity: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("unknown_area");
  });

  it("holds: the engine's per-buyer seat limit → 409 limit_exceeded", async () => {
    const res = await hold(buyer()[1], { areaId: "A", quantity: 9 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "limit_exceeded" });
  });

  it("holds: the sale window is enforced (not started 403, ended 409, draft 409)", async () => {
    const now = Date.now();
    const future = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 2 }], saleStartsAt: new Date(now + 3_600_000), saleEndsAt: new Date(now + 7_200_000) });
    const past = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 2 }], saleStartsAt: new Date(now - 7_200_000), saleEndsAt: new Date(now - 3_600_000) });
    const draft = await seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 2 }], status: "draft" });
    const notStarted = await hold(aliceToken, { seatIds: ["A-1-1"] }, randomUUID(), future);
    expect(notStarted.statusCode).toBe(403);
    expect(notStarted.json()).toMatchObject({ code: "sale_not_started", saleStartsAt: expect.any(String) });
    const ended = await hold(aliceToken, { seatIds: ["A-1-1"] }, randomUUID(), past);
    expect(ended.statusCode).toBe(409);
    expect(ended.json().code).toBe("sale_ended");
    const notOnSale = await hold(aliceToken, { seatIds: ["A-1-1"] }, randomUUID(), draft);
    expect(notOnSale.statusCode).toBe(409);
    expect(notOnSale.json().code).toBe("not_on_sale");
    for (const s of [future, past, draft]) expect(await seatStatus(aliceToken, "A-1-1", s)).toBe("available");
  });

  it("holds: a buyer's live holds are capped per session (bot defence); a release frees a slot", async () => {
    const capped = await gateApp(stack, { MAX_LIVE_HOLDS_PER_BUYER: "2" });
    const carol = randomUUID();
    const token = accessToken(carol);
    const post = (seatId: string) =>
      capped.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(token), "idempotency-key": randomUUID() },
        payload: { seatIds: [seatId] },
      });
    try {
      const first = await post("A-5-7");
      expect(first.statusCode).toBe(201);
      expect((await post("A-5-8")).statusCode).toBe(201);
      const third = await post("A-5-9");
      expect(third.statusCode).toBe(409);
      expect(third.json()).toMatchObject({ code: "too_many_holds", max: 2 });
      expect(await seatStatus(token, "A-5-9")).toBe("available");
      const released = await capped.inject({ method: "DELETE", url: `/v1/holds/${first.json().holdId}`, headers: browserHeaders(token) });
      expect(released.statusCode).toBe(204);
      expect((await post("A-5-9")).statusCode).toBe(201);
    } finally {
      await capped.close();
    }
  });
});

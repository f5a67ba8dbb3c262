import { randomUUID } from "node:crypto";
import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { createSigner } from "fast-jwt";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, TEST_JWT_SECRET, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Bad input of every kind gets a clear 4xx problem+json, never a 5xx, and changes nothing:
 * the seat map, the victim's hold and the command log read the same afterwards.
 */
describe("bad input (real stack)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let app: FastifyInstance;
  let sessionId: string;
  let roomSessionId: string;
  let victimHoldId: string;
  let mapBefore: string;
  const victim = randomUUID();
  const victimToken = accessToken(victim);
  const mallory = randomUUID();
  const malloryToken = accessToken(mallory);
  const answers: LightMyRequestResponse[] = [];

  const send = async (options: InjectOptions) => {
    const res = await app.inject(options);
    answers.push(res);
    return res;
  };
  const post = (body: unknown, headers: Record<string, string> = {}, url = `/v1/sessions/${sessionId}/holds`) =>
    send({ method: "POST", url, headers: { ...browserHeaders(malloryToken), "idempotency-key": randomUUID(), ...headers }, payload: body as string });
  const seatMap = async () =>
    JSON.stringify((await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats`, headers: browserHeaders(victimToken) })).json());
  const expectProblem = (res: LightMyRequestResponse, status: number, code?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    const body = res.json();
    expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
    if (code) expect(body.code).toBe(code);
    return body;
  };

  beforeAll(async () => {
    database = await testDatabase("gatebad");
    stack = await startStack(database);
    app = await gateApp(stack);
    [sessionId, roomSessionId] = await Promise.all([
      seedSession(stack, { areas: [{ id: "A", rows: 4, perRow: 10 }] }),
      seedSession(stack, { areas: [{ id: "A", rows: 1, perRow: 10 }], waitingRoom: { enabled: true, admitPerSecond: 10 } }),
    ]);
    const held = await app.inject({
      method: "POST",
      url: `/v1/sessions/${sessionId}/holds`,
      headers: { ...browserHeaders(victimToken), "idempotency-key": "victim-1" },
      payload: { seatIds: ["A-1-1", "A-1-2"] },
    });
    expect(held.statusCode).toBe(201);
    victimHoldId = held.json().holdId;
    mapBefore = await seatMap();
  });
  afterAll(async () => {
    await app?.close();
    await stack?.close();
    await database?.drop();
  });

  it("bad input: malformed JSON → 400 malformed_json", async () => {
    expectProblem(await post('{"seatIds": ["A-2-1"', { "content-type": "application/json" }), 400, "malformed_json");
    expectProblem(await post("", { "content-type": "application/json" }), 400);
  });

  it("bad input: wrong types → 400 naming each field", async () => {
    const one = expectProblem(await post({ seatIds: "A-2-1" }), 400, "validation");
    expect(one.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "body.seatIds" })]));
    const two = expectProblem(await post({ areaId: 5, quantity: "2" }), 400, "validation");
    expect(two.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["body.areaId", "body.quantity"]));
    expectProblem(await post({ areaId: "A", quantity: 0 }), 400, "validation");
    expectProblem(await post({ areaId: "A", quantity: 1.5 }), 400, "validation");
    expectProblem(await post({}), 400, "validation");
    expectProblem(await post([]), 400, "validation");
    expectProblem(await post({ seatIds: ["A-2-1", "A-2-1"] }), 400, "validation");
    expectProblem(await post({ seatIds: ["A-2-1"], areaId: "A", quantity: 1 }), 400, "validation");
    expectProblem(await post({ seatIds: ["'; DROP TABLE sessions; --"] }), 400, "validation");
  });

  it("bad input: unknown fields are rejected, by name", async () => {
    const body = expectProblem(await post({ seatIds: ["A-2-1"], price: "0.01" }), 400, "validation");
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "body.price" })]));
  });

  it("bad input: a 1 MB body → 413", async () => {
    expectProblem(await post({ seatIds: ["A-2-1"], pad: "x".repeat(1024 * 1024) }), 413, "body_too_large");
  });

  it("bad input: 10,000 seat ids → 413 (over the body limit); 101 → 400 (over the hold limit)", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `A-${Math.floor(i / 100) + 1}-${(i % 100) + 1}`);
    expectProblem(await post({ seatIds: many }), 413, "body_too_large");
    const body = expectProblem(await post({ seatIds: many.slice(0, 101) }), 400, "validation");
    expect(body.errors[0].path).toBe("body.seatIds");
  });

  it("bad input: seat ids the venue does not have → 422 listing them", async () => {
    const body = expectProblem(await post({ seatIds: ["A-2-1", "A-99-1"] }), 422, "unknown_seats");
    expect(body.unknown).toContain("A-99-1");
  });

  it("bad input: invalid UUIDs in paths → 400", async () => {
    expectProblem(await post({ seatIds: ["A-2-1"] }, {}, "/v1/sessions/not-a-uuid/holds"), 400, "validation");
    expectProblem(await send({ method: "GET", url: "/v1/sessions/123/seats" }), 400, "validation");
    expectProblem(await send({ method: "GET", url: "/v1/holds/zzz", headers: browserHeaders(malloryToken) }), 400, "validation");
    expectProblem(await send({ method: "DELETE", url: `/v1/holds/${victimHoldId}x`, headers: browserHeaders(malloryToken) }), 400, "validation");
    expectProblem(await send({ method: "GET", url: `/v1/commands/${"c".repeat(99)}%20`, headers: browserHeaders(malloryToken) }), 404);
    // Past the router's 128-character parameter limit no route matches: 414 from the router, or
    // 404 where the browser app's catch-all is mounted; problem+json either way.
    const tooLong = await send({ method: "GET", url: `/v1/commands/${"c".repeat(200)}`, headers: browserHeaders(malloryToken) });
    expect([404, 414]).toContain(tooLong.statusCode);
    expect(tooLong.headers["content-type"]).toContain("application/problem+json");
    expectProblem(await send({ method: "POST", url: "/v1/sessions/%00/queue", headers: browserHeaders(malloryToken) }), 400);
  });

  it("bad input: forged, expired, alg:none, wrong issuer/audience, malformed or missing tokens → 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: mallory, email: "m@example.com", roles: ["admin"], iss: "rush-identity", aud: "rush-api", iat: now, exp: now + 600 };
    const tokens = {
      forged: accessToken(mallory, { secret: "not-the-secret-at-all-0123456789" }),
      expired: accessToken(mallory, { expiresInMs: -60_000 }),
      none: `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
      noneSigned: `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.${b64({ x: 1 })}`,
      wrongIssuer: accessToken(mallory, { iss: "someone-else" }),
      wrongAudience: accessToken(mallory, { aud: "another-api" }),
      hs512: createSigner({ key: TEST_JWT_SECRET, algorithm: "HS512" })(claims),
      garbage: "abc.def.ghi",
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await post({ seatIds: ["A-2-1"] }, { authorization: `Bearer ${token}` });
      expect(res.statusCode, name).toBe(401);
      expectProblem(res, 401, "unauthorized");
    }
    expectProblem(await post({ seatIds: ["A-2-1"] }, { authorization: "Basic Zm9vOmJhcg==" }), 401);
    const { authorization: _, ...anonymous } = browserHeaders(malloryToken);
    expectProblem(await send({ method: "POST", url: `/v1/sessions/${sessionId}/holds`, headers: { ...anonymous, "idempotency-key": "k" }, payload: { seatIds: ["A-2-1"] } }), 401);
    expectProblem(await send({ method: "GET", url: `/v1/holds/${victimHoldId}`, headers: { authorization: `Bearer ${tokens.none}` } }), 401);
  });

  it("bad input: another buyer's hold → 403 to read and to release", async () => {
    expectProblem(await send({ method: "GET", url: `/v1/holds/${victimHoldId}`, headers: browserHeaders(malloryToken) }), 403, "not_owner");
    expectProblem(await send({ method: "DELETE", url: `/v1/holds/${victimHoldId}`, headers: browserHeaders(malloryToken) }), 403, "not_owner");
    const mine = await app.inject({ method: "GET", url: `/v1/holds/${victimHoldId}`, headers: browserHeaders(victimToken) });
    expect(mine.json().status).toBe("held");
  });

  it("bad input: an Idempotency-Key replayed with another body → 422; missing or oversized keys → 400", async () => {
    const replay = await send({
      method: "POST",
      url: `/v1/sessions/${sessionId}/holds`,
      headers: { ...browserHeaders(victimToken), "idempotency-key": "victim-1" },
      payload: { seatIds: ["A-3-1"] },
    });
    expectProblem(replay, 422, "idempotency_key_reused");
    const { "idempotency-key": _k, ...withoutKey } = { ...browserHeaders(malloryToken), "idempotency-key": "" };
    const missing = expectProblem(await send({ method: "POST", url: `/v1/sessions/${sessionId}/holds`, headers: withoutKey, payload: { seatIds: ["A-2-1"] } }), 400);
    expect(missing.errors[0].path).toBe("headers.idempotency-key");
    expectProblem(await post({ seatIds: ["A-2-1"] }, { "idempotency-key": "k".repeat(300) }), 400);
  });

  it("bad input: no, forged or someone else's admission token on a waiting-room session → 403", async () => {
    const url = `/v1/sessions/${roomSessionId}/holds`;
    expectProblem(await post({ seatIds: ["A-1-1"] }, {}, url), 403, "admission_required");
    expectProblem(await post({ seatIds: ["A-1-1"] }, { "x-admission-token": "forged.token.here" }, url), 403, "admission_required");
    // The victim's real admission token is bound to the victim and this session.
    const joined = await app.inject({ method: "POST", url: `/v1/sessions/${roomSessionId}/queue`, headers: browserHeaders(victimToken) });
    const { admissionToken } = joined.json();
    expect(admissionToken).toEqual(expect.any(String));
    expectProblem(await post({ seatIds: ["A-1-1"] }, { "x-admission-token": admissionToken }, url), 403, "admission_required");
  });

  it("bad input: a body that is not JSON → 415", async () => {
    expectProblem(await post("seatIds=A-2-1", { "content-type": "application/x-www-form-urlencoded" }), 415);
  });

  it("bad input: nothing answered 5xx and the state reads the same afterwards", async () => {
    expect(answers.length).toBeGreaterThan(30);
    expect(answers.filter((r) => r.statusCode >= 500).map((r) => r.body)).toEqual([]);
    expect(await seatMap()).toBe(mapBefore);
    const victimHold = await app.inject({ method: "GET", url: `/v1/holds/${victimHoldId}`, headers: browserHeaders(victimToken) });
    expect(victimHold.json()).toMatchObject({ status: "held", seats: [{ id: "A-1-1" }, { id: "A-1-2" }] });
  });
});

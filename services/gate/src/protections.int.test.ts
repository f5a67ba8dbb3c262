import { randomUUID } from "node:crypto";
import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nonSolution, solveChallenge } from "./bot/proof-of-work.ts";
import { type Stack, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";
import { waitingRoomKeys } from "./waiting-room/waiting-room.ts";

describe("gate protections, proxy and docs (real stack)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let sessionId: string;
  let roomSessionId: string;

  beforeAll(async () => {
    database = await testDatabase("gateprot");
    stack = await startStack(database);
    [sessionId, roomSessionId] = await Promise.all([
      seedSession(stack, { areas: [{ id: "A", rows: 2, perRow: 5 }] }),
      seedSession(stack, { areas: [{ id: "A", rows: 2, perRow: 5 }], waitingRoom: { enabled: true, admitPerSecond: 100 } }),
    ]);
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  describe("rate limits", () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await gateApp(stack, {
        RATE_LIMIT_ENABLED: "true",
        RATE_LIMIT_WINDOW_MS: "60000",
        TRUST_PROXY: "true",
        RATE_LIMITS: JSON.stringify({ read: { user: 3, ip: 5 } }),
      });
    });
    afterAll(() => app?.close());
    const read = (token: string | undefined, ip: string) =>
      app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats`, headers: browserHeaders(token, { "x-forwarded-for": ip }) });

    it("rate limits: per user → 429 problem with Retry-After and RateLimit headers; other users go on", async () => {
      const token = accessToken();
      const ip = `10.0.0.${Math.floor(Math.random() * 200)}`;
      for (let i = 0; i < 3; i++) {
        const ok = await read(token, ip);
        expect(ok.statusCode).toBe(200);
        expect(ok.headers["ratelimit-limit"]).toBe("3");
        expect(ok.headers["ratelimit-remaining"]).toBe(String(2 - i));
        expect(ok.headers["ratelimit-policy"]).toBe("3;w=60");
      }
      const limited = await read(token, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      expect(limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(limited.headers["ratelimit-remaining"]).toBe("0");
      expect((await read(accessToken(), ip)).statusCode).toBe(200);
      // Metrics are on the internal server only; the public port does not have them.
      expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
      const metrics = await app.internal!.inject({ method: "GET", url: "/metrics" });
      expect(metrics.body).toMatch(/gate_rate_limited_total\{[^}]*class="read"[^}]*by="user"[^}]*\} 1/);
    });

    it("rate limits: a hold counts its per-user limit in the hold's one Redis script → 429 with RateLimit headers, nothing held; other users go on", async () => {
      const holds = await gateApp(stack, {
        RATE_LIMIT_ENABLED: "true",
        RATE_LIMIT_WINDOW_MS: "60000",
        TRUST_PROXY: "true",
        RATE_LIMITS: JSON.stringify({ hold: { user: 2, ip: 50 } }),
      });
      const post = (token: string, seatId: string) =>
        holds.inject({
          method: "POST",
          url: `/v1/sessions/${sessionId}/holds`,
          headers: { ...browserHeaders(token, { "x-forwarded-for": "10.1.0.1" }), "idempotency-key": randomUUID() },
          payload: { seatIds: [seatId] },
        });
      try {
        const token = accessToken();
        for (const [i, seatId] of ["A-2-1", "A-2-2"].entries()) {
          const ok = await post(token, seatId);
          expect(ok.statusCode).toBe(201);
          expect(ok.headers["ratelimit-limit"]).toBe("2");
          expect(ok.headers["ratelimit-remaining"]).toBe(String(1 - i));
        }
        const limited = await post(token, "A-2-3");
        expect(limited.statusCode).toBe(429);
        expect(limited.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
        expect(limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
        expect(limited.json().detail).toContain("from this account");
        expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
        const seats = await holds.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats`, headers: browserHeaders(token) });
        const statusOf = (id: string) => seats.json().areas[0].seats.find((seat: { id: string }) => seat.id === id)?.status;
        expect(statusOf("A-2-3")).toBe("available");
        expect((await post(accessToken(), "A-2-3")).statusCode).toBe(201);
      } finally {
        await holds.close();
      }
    });

    it("rate limits: a waiting-room poll counts its per-user limit beside the place's read → 429 with RateLimit headers, the place kept; unknown sessions count too", async () => {
      const queue = await gateApp(stack, {
        RATE_LIMIT_ENABLED: "true",
        RATE_LIMIT_WINDOW_MS: "60000",
        TRUST_PROXY: "true",
        RATE_LIMITS: JSON.stringify({ queue: { user: 3, ip: 50 } }),
      });
      const call = (token: string, method: "GET" | "POST", session = roomSessionId) =>
        queue.inject({ method, url: `/v1/sessions/${session}/queue`, headers: browserHeaders(token, { "x-forwarded-for": "10.2.0.1" }) });
      try {
        const userId = randomUUID();
        const token = accessToken(userId);
        const joined = await call(token, "POST");
        expect(joined.statusCode).toBe(200);
        const place = joined.json().position;
        const { queue: queueKey } = waitingRoomKeys(roomSessionId);
        const rank = await stack.redis.zrank(queueKey, userId);
        const size = await stack.redis.zcard(queueKey);
        for (const remaining of ["1", "0"]) {
          const polled = await call(token, "GET");
          expect(polled.statusCode).toBe(200);
          expect(polled.json().position).toBe(place);
          expect(polled.headers["ratelimit-remaining"]).toBe(remaining);
        }
        const limited = await call(token, "GET");
        expect(limited.statusCode).toBe(429);
        expect(limited.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
        expect(limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
        expect(limited.json().detail).toContain("from this account");
        // An unknown session still counts against the buyer: 429 rather than a free 404.
        expect((await call(token, "GET", randomUUID())).statusCode).toBe(429);
        expect((await call(accessToken(), "GET", randomUUID())).statusCode).toBe(404);
        // The limited polls changed nothing in the room.
        expect(await stack.redis.zrank(queueKey, userId)).toBe(rank);
        expect(await stack.redis.zcard(queueKey)).toBe(size);
      } finally {
        await queue.close();
      }
    });

    it("rate limits: per IP, whoever asks (anonymous included); other addresses go on", async () => {
      const ip = "192.0.2.77";
      for (let i = 0; i < 5; i++) expect((await read(i % 2 ? accessToken() : undefined, ip)).statusCode).toBe(200);
      const limited = await read(accessToken(), ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().detail).toContain("from this address");
      expect((await read(undefined, "192.0.2.78")).statusCode).toBe(200);
    });
  });

  describe("bot defence", () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await gateApp(stack, {
        BOT_CHALLENGE_SCORE: "30",
        BOT_POW_DIFFICULTY: "8",
        BOT_ACCOUNTS_PER_IP: "3",
        BOT_CADENCE_MAX: "4",
        TRUST_PROXY: "true",
      });
    });
    afterAll(() => app?.close());
    const join = (token: string, headers: Record<string, string>) =>
      app.inject({ method: "POST", url: `/v1/sessions/${roomSessionId}/queue`, headers: { authorization: `Bearer ${token}`, ...headers } });

    it("bot defence: a browser-like buyer joins without a challenge", async () => {
      const res = await join(accessToken(), browserHeaders(undefined, { "x-forwarded-for": "198.51.100.1" }));
      expect(res.statusCode).toBe(200);
    });

    it("bot defence: a scripted client gets a proof-of-work challenge (428), joins once it solves it, and cannot reuse the solution", async () => {
      const token = accessToken();
      const script = { "user-agent": "curl/8.5.0", "x-forwarded-for": "198.51.100.2" };
      const challenged = await join(token, script);
      expect(challenged.statusCode).toBe(428);
      expect(challenged.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      const { challenge, score, reasons } = challenged.json();
      expect(score).toBeGreaterThanOrEqual(30);
      expect(reasons).toContain("scripted user agent");
      expect(challenge).toMatchObject({ difficulty: 8, algorithm: "sha256-leading-zero-bits" });
      // A fixed guess would solve a difficulty-8 challenge one time in 256: take one that does not.
      const wrong = await join(token, { ...script, "x-pow-challenge": challenge.token, "x-pow-nonce": nonSolution(challenge.token, challenge.difficulty) });
      expect(wrong.statusCode).toBe(428);
      const nonce = solveChallenge(challenge.token, challenge.difficulty);
      const solved = await join(token, { ...script, "x-pow-challenge": challenge.token, "x-pow-nonce": nonce });
      expect(solved.statusCode).toBe(200);
      expect(solved.json()).toMatchObject({ waitingRoom: true, admitted: true });
      const replayed = await join(token, { ...script, "x-pow-challenge": challenge.token, "x-pow-nonce": nonce });
      expect(replayed.statusCode).toBe(428);
      expect(replayed.json().detail).toContain("already used");
      // Someone else's solved challenge is no good either.
      const other = await join(accessToken(), { ...script, "x-pow-challenge": challenge.token, "x-pow-nonce": nonce });
      expect(other.statusCode).toBe(428);
    });

    it("bot defence: many accounts from one address earn a challenge", async () => {
      const ip = { "x-forwarded-for": "198.51.100.3" };
      for (let i = 0; i < 3; i++) expect((await join(accessToken(), browserHeaders(undefined, ip))).statusCode).toBe(200);
      const fourth = await join(accessToken(), browserHeaders(undefined, ip));
      expect(fourth.statusCode).toBe(428);
      expect(fourth.json().reasons.join()).toContain("accounts from one address");
    });

    it("bot defence: a buyer hammering the queue earns a challenge", async () => {
      const token = accessToken();
      const headers = browserHeaders(undefined, { "x-forwarded-for": "198.51.100.4" });
      for (let i = 0; i < 4; i++) expect((await join(token, headers)).statusCode).toBe(200);
      const fifth = await join(token, headers);
      expect(fifth.statusCode).toBe(428);
      expect(fifth.json().reasons.join()).toContain("requests in 10 s");
    });
  });

  describe("catalog proxy", () => {
    let catalog: FastifyInstance;
    let app: FastifyInstance;
    let down: FastifyInstance;
    beforeAll(async () => {
      catalog = Fastify();
      catalog.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
      catalog.all("/*", async (request, reply) =>
        reply
          .code(request.url.startsWith("/v1/auth/register") ? 201 : 200)
          .header("x-catalog", "yes")
          .send({ method: request.method, url: request.url, body: request.body ?? null, authorization: request.headers.authorization ?? null }),
      );
      const address = await catalog.listen({ host: "127.0.0.1", port: 0 });
      app = await gateApp(stack, { CATALOG_URL: address });
      down = await gateApp(stack, { CATALOG_URL: "http://127.0.0.1:9" });
    });
    afterAll(async () => {
      await app?.close();
      await down?.close();
      await catalog?.close();
    });

    it("catalog proxy: identity and catalog routes reach the catalog unchanged (method, path, query, body, auth, status, headers)", async () => {
      const raw = '{"email":"a@example.com","password":"pw","displayName":"A"}';
      const register = await app.inject({ method: "POST", url: "/v1/auth/register", headers: { "content-type": "application/json" }, payload: raw });
      expect(register.statusCode).toBe(201);
      expect(register.headers["x-catalog"]).toBe("yes");
      expect(register.json()).toEqual({ method: "POST", url: "/v1/auth/register", body: raw, authorization: null });
      const token = accessToken();
      for (const url of ["/v1/me", "/v1/users?limit=2", "/v1/venues", "/v1/events?q=rock&limit=5", `/v1/events/${randomUUID()}`, `/v1/venues/${randomUUID()}`, `/v1/sessions/${sessionId}`, `/v1/sessions/${sessionId}/availability`]) {
        const res = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode, url).toBe(200);
        expect(res.json()).toMatchObject({ method: "GET", url, authorization: `Bearer ${token}` });
      }
      const publish = await app.inject({ method: "POST", url: `/v1/sessions/${sessionId}/publish` });
      expect(publish.json()).toMatchObject({ method: "POST", url: `/v1/sessions/${sessionId}/publish` });
      // The gate's own routes are not forwarded; unknown ones are 404 problem+json.
      expect((await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats` })).headers["x-catalog"]).toBeUndefined();
      const unknown = await app.inject({ method: "GET", url: "/v1/nothing-here" });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    });

    it("catalog proxy: a catalog that is down → 503 problem+json", async () => {
      for (const [method, url] of [["GET", "/v1/events"], ["POST", "/v1/auth/login"], ["GET", `/v1/sessions/${sessionId}`]] as const) {
        const res = await down.inject({ method, url, headers: { "content-type": "application/json" }, ...(method === "POST" ? { payload: "{}" } : {}) });
        expect(res.statusCode, url).toBe(503);
        expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
        expect(res.json()).toMatchObject({ status: 503, code: "upstream_unavailable" });
      }
    });
  });

  describe("docs and health", () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await gateApp(stack);
    });
    afterAll(() => app?.close());

    it("docs: OpenAPI at /docs/json generated from the zod schemas, UI at /docs", async () => {
      const res = await app.inject({ method: "GET", url: "/docs/json" });
      expect(res.statusCode).toBe(200);
      const spec = res.json();
      expect(Object.keys(spec.paths).some((p) => p.startsWith("/v1/auth/"))).toBe(true);
      expect(spec.openapi).toMatch(/^3\./);
      const holds = spec.paths["/v1/sessions/{id}/holds"].post;
      expect(Object.keys(holds.responses)).toEqual(expect.arrayContaining(["201", "202"]));
      expect(JSON.stringify(holds.requestBody)).toContain("seatIds");
      expect(holds.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["id", "idempotency-key", "x-admission-token"]));
      for (const path of ["/v1/sessions/{id}/queue", "/v1/sessions/{id}/seats", "/v1/holds/{holdId}", "/v1/commands/{commandId}", "/v1/sessions/{id}/publish", "/v1/sessions/{id}/waitlist"]) {
        expect(spec.paths[path], path).toBeDefined();
      }
      // Forwarded routes (issue 15) show what they take and answer, from the contracts' schemas.
      const after: Record<string, { method: string; body?: string; answers: string[] }> = {
        "/v1/orders/{orderId}/refund": { method: "post", body: "note", answers: ["200", "202"] },
        "/v1/sessions/{id}/cancel": { method: "post", body: "reason", answers: ["200"] },
        "/v1/sessions/{id}/orders": { method: "get", answers: ["200"] },
        "/v1/auth/verify-email": { method: "post", body: "token", answers: ["200"] },
        "/v1/auth/password-reset/request": { method: "post", body: "email", answers: ["202"] },
        "/v1/auth/password-reset": { method: "post", body: "password", answers: ["204"] },
        "/v1/auth/totp/enroll": { method: "post", answers: ["200"] },
        "/v1/auth/totp/confirm": { method: "post", body: "otp", answers: ["200"] },
        "/v1/auth/totp/disable": { method: "post", body: "otp", answers: ["204"] },
      };
      for (const [path, { method, body, answers }] of Object.entries(after)) {
        const operation = spec.paths[path]?.[method];
        expect(operation, path).toBeDefined();
        expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(answers));
        if (body) expect(JSON.stringify(operation.requestBody), path).toContain(body);
      }
      expect(JSON.stringify(spec.paths["/v1/orders/{orderId}/refund"].post.responses["200"])).toContain("paymentStatus");
      const ui = await app.inject({ method: "GET", url: "/docs" });
      expect([200, 302]).toContain(ui.statusCode);
    });

    it("health: ready when NATS, Redis and Postgres answer; a Redis outage is 503, not 500", async () => {
      expect((await app.inject({ method: "GET", url: "/health/ready" })).statusCode).toBe(200);
      await stack.redisServer.stop();
      try {
        const res = await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats` });
        expect(res.statusCode).toBe(503);
        expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
        expect((await app.inject({ method: "GET", url: "/health/ready" })).statusCode).toBe(503);
      } finally {
        await stack.redisServer.start();
      }
      await expect.poll(async () => (await app.inject({ method: "GET", url: `/v1/sessions/${sessionId}/seats` })).statusCode, { timeout: 10_000 }).toBe(200);
    });
  });
});

import { createHmac, randomUUID } from "node:crypto";
import { ACCESS_TOKEN, PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import Fastify, { type FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { installApi } from "./api.ts";
import { HttpProblem } from "./problem.ts";

const SECRET = "api-test-secret-0123456789";
const b64 = (value: object | string) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** An HS256 JWT made by hand, so the tests do not trust the library they test. */
function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }, secret = SECRET): string {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${createHmac(header.alg === "HS512" ? "sha512" : "sha256", secret).update(body).digest("base64url")}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: randomUUID(),
  email: "a@example.com",
  roles: ["customer"],
  iss: ACCESS_TOKEN.issuer,
  aud: ACCESS_TOKEN.audience,
  iat: now(),
  exp: now() + 600,
  ...extra,
});

describe("api: auth, validation and problem+json", () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ bodyLimit: 1024 });
    await installApi(app, { jwtSecret: SECRET });
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post(
      "/things",
      { schema: { body: z.strictObject({ name: z.string().min(1), count: z.int().min(0), tags: z.array(z.string().max(3)).optional() }) }, config: { auth: {} } },
      async (request) => ({ ok: true, by: request.principal?.sub }),
    );
    typed.get("/admin", { config: { auth: { roles: ["admin"] } } }, async () => ({ ok: true }));
    typed.get("/open", { config: { auth: { optional: true } } }, async (request) => ({ who: request.principal?.sub ?? null }));
    typed.get("/teapot", async () => {
      throw new HttpProblem(418, "teapot", "I'm a teapot", "short and stout", { spout: true }, { "x-extra": "1" });
    });
    typed.get("/down", async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" });
    });
    typed.get("/pg-restarting", async () => {
      // What drizzle throws while PostgreSQL restarts: its query error, caused by the server's.
      const cause = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
      throw new Error("Failed query: select 1", { cause });
    });
    typed.get("/bug", async () => {
      throw new TypeError("undefined is not a function");
    });
    typed.get("/bad-answer", { schema: { response: { 200: z.object({ n: z.number() }) } } }, async () => ({ n: "nope" }) as never);
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string | object, auth = token(claims()), type = "application/json") =>
    app.inject({ method: "POST", url: "/things", headers: { authorization: `Bearer ${auth}`, "content-type": type }, payload: payload as string });

  it("auth: a valid token passes and sets the principal", async () => {
    const c = claims();
    const res = await post({ name: "x", count: 1 }, token(c));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, by: c.sub });
  });

  it("auth: alg none, another algorithm, forged, expired, wrong issuer or audience, bad claims → 401 with WWW-Authenticate", async () => {
    const cases = {
      none: `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`,
      hs512: token(claims(), { alg: "HS512", typ: "JWT" }),
      forged: token(claims(), undefined, "some-other-secret-0123456789"),
      expired: token(claims({ iat: now() - 1000, exp: now() - 10 })),
      issuer: token(claims({ iss: "evil" })),
      audience: token(claims({ aud: "other-api" })),
      notUuid: token(claims({ sub: "admin" })),
      noRoles: token(claims({ roles: [] })),
      garbage: "a.b.c",
    };
    for (const [name, bad] of Object.entries(cases)) {
      const res = await post({ name: "x", count: 1 }, bad);
      expect(res.statusCode, name).toBe(401);
      expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      expect(res.headers["www-authenticate"]).toContain("Bearer");
      expect(res.json()).toMatchObject({ status: 401, code: "unauthorized" });
    }
    expect((await app.inject({ method: "POST", url: "/things", payload: { name: "x", count: 1 } })).statusCode).toBe(401);
    for (const authorization of [`Basic ${token(claims())}`, "Bearer", `Bearer ${token(claims())} extra`, `Bearer  ${token(claims())}`]) {
      const res = await app.inject({ method: "POST", url: "/things", headers: { authorization }, payload: { name: "x", count: 1 } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json()).toMatchObject({ status: 401, code: "unauthorized" });
    }
  });

  it("auth: roles come from route options (403 without one); optional auth lets anonymous callers in", async () => {
    expect((await app.inject({ method: "GET", url: "/admin", headers: { authorization: `Bearer ${token(claims())}` } })).statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: "/admin", headers: { authorization: `Bearer ${token(claims({ roles: ["admin"] }))}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/open" })).json()).toEqual({ who: null });
    const c = claims();
    expect((await app.inject({ method: "GET", url: "/open", headers: { authorization: `Bearer ${token(c)}` } })).json()).toEqual({ who: c.sub });
    expect((await app.inject({ method: "GET", url: "/open", headers: { authorization: "Bearer nope" } })).statusCode).toBe(401);
  });

  it("problem: validation errors name every field, unknown keys included", async () => {
    const res = await post({ name: "", count: "1", colour: "red", size: 2 });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: "validation", type: expect.stringContaining("validation") });
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.colour", "body.count", "body.name", "body.size"]);
  });

  it("problem: a flood of bad items lists at most 50 errors", async () => {
    const res = await post({ name: "x", count: 1, tags: Array.from({ length: 80 }, () => "long") });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toHaveLength(50);
    expect(res.json().errorsOmitted).toBe(30);
  });

  it("problem: malformed JSON 400, empty JSON 400, too large 413, wrong media type 415", async () => {
    expect((await post('{"name":')).json()).toMatchObject({ status: 400, code: "malformed_json" });
    expect((await post("")).json()).toMatchObject({ status: 400, code: "malformed_json" });
    expect((await post({ name: "x".repeat(5000), count: 1 })).json()).toMatchObject({ status: 413, code: "body_too_large" });
    expect((await post("<name/>", undefined, "application/xml")).json()).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it("problem: HttpProblem keeps its code, extra fields and headers; unknown routes are 404 problems", async () => {
    const res = await app.inject({ method: "GET", url: "/teapot" });
    expect(res.statusCode).toBe(418);
    expect(res.headers["x-extra"]).toBe("1");
    expect(res.json()).toEqual({ type: "https://rush.example/problems/teapot", title: "I'm a teapot", status: 418, code: "teapot", detail: "short and stout", spout: true });
    expect((await app.inject({ method: "GET", url: "/nowhere?x=1" })).json()).toMatchObject({ status: 404, detail: "no route GET /nowhere" });
  });

  it("problem: an unreachable dependency is 503 with Retry-After; a bug or a broken response contract is 500 without details", async () => {
    for (const url of ["/down", "/pg-restarting"]) {
      const down = await app.inject({ method: "GET", url });
      expect(down.statusCode).toBe(503);
      expect(down.headers["retry-after"]).toBeDefined();
    }
    for (const url of ["/bug", "/bad-answer"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: "internal", detail: "something went wrong on our side" });
      expect(res.body).not.toContain("undefined is not a function");
    }
  });
});

describe("api: a 5xx problem is logged with its code", () => {
  it("problem: an HttpProblem answered 503 on purpose leaves a warn line naming its code; a 4xx leaves none", async () => {
    const lines: { level: number; msg: string; code?: string }[] = [];
    const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => lines.push(JSON.parse(line)) } } });
    await installApi(app, { jwtSecret: SECRET });
    app.get("/pending", async () => {
      throw new HttpProblem(503, "order_pending", "Order not open yet", "retry", {}, { "retry-after": "1" });
    });
    app.get("/teapot", async () => {
      throw new HttpProblem(418, "teapot", "I'm a teapot", "short and stout");
    });
    try {
      expect((await app.inject({ url: "/pending" })).statusCode).toBe(503);
      expect((await app.inject({ url: "/teapot" })).statusCode).toBe(418);
      expect(lines.map(({ level, msg, code }) => ({ level, msg, code }))).toEqual([{ level: 40, msg: "answered with a 5xx problem", code: "order_pending" }]);
    } finally {
      await app.close();
    }
  });
});

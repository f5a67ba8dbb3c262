import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, accessToken, gateApp, startStack } from "./test-stack.ts";

interface Seen {
  url: string;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends like curl does for large bodies: headers with `Expect: 100-continue`, the body only after `100 Continue`. */
function postExpectingContinue(port: number, path: string, body: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; continued: boolean; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    let continued = false;
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", "content-length": body.length, expect: "100-continue", ...headers } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, continued, body: text, headers: res.headers }));
      },
    );
    req.on("continue", () => {
      continued = true;
      req.end(body);
    });
    req.on("error", reject);
  });
}

const OUTBOX_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

describe("gate proxy edges", () => {
  let database: TestDatabase;
  let stack: Stack;
  let upstream: FastifyInstance;
  let gate: FastifyInstance;
  let port: number;
  const seen: Seen[] = [];

  beforeAll(async () => {
    database = await testDatabase("gateedges");
    stack = await startStack(database, { workers: 0 });
    upstream = Fastify({ bodyLimit: 16 * 1024 * 1024 });
    upstream.removeAllContentTypeParsers();
    upstream.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    upstream.all("/*", async (request) => {
      seen.push({ url: request.url, bytes: Buffer.isBuffer(request.body) ? request.body.length : 0, headers: request.headers });
      return { ok: true };
    });
    // The mail worker's development outbox page, as `services/mail/src/outbox-routes.ts` answers it.
    upstream.get("/dev/outbox", async (request, reply) => {
      seen.push({ url: request.url, bytes: 0, headers: request.headers });
      return reply.type("text/html; charset=utf-8").header("content-security-policy", OUTBOX_CSP).send("<h1>Outbox</h1>");
    });
    const address = await upstream.listen({ host: "127.0.0.1", port: 0 });
    gate = await gateApp(stack, { CATALOG_URL: address, PAYMENT_URL: address, ORDER_URL: address, MAIL_URL: address });
    await gate.listen({ host: "127.0.0.1", port: 0 });
    port = (gate.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await gate?.close();
    await upstream?.close();
    await stack?.close();
    await database?.drop();
  });

  it("proxy: Expect: 100-continue on a venue upload is continued and forwarded without the expectation", async () => {
    const body = Buffer.from(JSON.stringify({ name: "Arena", address: "1 Main St", seatMap: { pad: "x".repeat(2 * 1024 * 1024) } }));
    const res = await postExpectingContinue(port, "/v1/venues", body, { authorization: `Bearer ${accessToken()}` });
    expect(res.continued).toBe(true);
    expect(res.status).toBe(200);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ url: "/v1/venues", bytes: body.length });
    expect(last.headers.expect).toBeUndefined();
  });

  it("proxy: hop-by-hop headers (and those Connection names) are not forwarded; end-to-end ones are", async () => {
    const res = await postExpectingContinue(port, "/v1/auth/login", Buffer.from('{"email":"a@example.com","password":"x"}'), {
      connection: "keep-alive, x-hop-secret",
      "keep-alive": "timeout=5",
      "x-hop-secret": "only for the next hop",
      "proxy-authorization": "Basic Zm9vOmJhcg==",
      te: "gzip",
      "x-end-to-end": "kept",
    });
    expect(res.status).toBe(200);
    const { headers } = seen.at(-1)!;
    for (const hop of ["expect", "keep-alive", "x-hop-secret", "proxy-authorization", "te"]) expect(headers[hop], hop).toBeUndefined();
    expect(headers["x-end-to-end"]).toBe("kept");
  });

  it("proxy: unauthenticated routes take small bodies only (413 problem+json, nothing forwarded); venue uploads take large ones", async () => {
    const before = seen.length;
    const big = (bytes: number) => JSON.stringify({ email: "a@example.com", password: "x".repeat(bytes) });
    for (const url of ["/v1/auth/login", "/v1/auth/register", "/v1/payments/webhooks/stripe"]) {
      const res = await gate.inject({ method: "POST", url, headers: { "content-type": "application/json" }, payload: big(100 * 1024) });
      expect(res.statusCode, url).toBe(413);
      expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      expect(res.json()).toMatchObject({ status: 413, code: "body_too_large" });
    }
    // Authenticated writes other than venues keep the ordinary limit.
    const event = await gate.inject({ method: "POST", url: "/v1/events", headers: { "content-type": "application/json" }, payload: big(1024 * 1024) });
    expect(event.statusCode).toBe(413);
    expect(seen.length).toBe(before);
    const venue = await gate.inject({ method: "POST", url: "/v1/venues", headers: { "content-type": "application/json" }, payload: big(3 * 1024 * 1024) });
    expect(venue.statusCode).toBe(200);
    const login = await gate.inject({ method: "POST", url: "/v1/auth/login", headers: { "content-type": "application/json" }, payload: big(100) });
    expect(login.statusCode).toBe(200);
  });

  it("dev outbox: in development the mail worker's outbox is on the app's origin with its own CSP, and no page names it otherwise (/dev is a 404)", async () => {
    const html = { accept: "text/html" };
    const page = await gate.inject({ method: "GET", url: "/dev/outbox", headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe("<h1>Outbox</h1>");
    expect(seen.at(-1)?.url).toBe("/dev/outbox");
    // The mail worker's policy (no script at all), not the app's: the messages keep their inline styles.
    expect(page.headers["content-security-policy"]).toBe(`${OUTBOX_CSP}; frame-ancestors 'none'`);

    const address = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    const production = await gateApp(stack, { NODE_ENV: "production", ADMISSION_SECRET: "a-real-admission-secret-0123456789", CATALOG_URL: address, MAIL_URL: address });
    const withoutMail = await gateApp(stack, { CATALOG_URL: address });
    try {
      for (const other of [production, withoutMail]) {
        const before = seen.length;
        for (const url of ["/dev/outbox", "/dev/outbox.json"]) {
          const res = await other.inject({ method: "GET", url, headers: html });
          expect(res.statusCode, url).toBe(404);
          expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
        }
        expect(seen.length).toBe(before);
        const appPage = await other.inject({ method: "GET", url: "/tickets", headers: html });
        expect(appPage.body).not.toContain("rush-dev-outbox");
      }
    } finally {
      await production.close();
      await withoutMail.close();
    }
  });

  it("rate limits: IPv6 clients count per /64, so rotating addresses inside one prefix gets no fresh budget", async () => {
    const limited = await gateApp(stack, {
      CATALOG_URL: `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`,
      RATE_LIMIT_ENABLED: "true",
      RATE_LIMIT_WINDOW_MS: "60000",
      TRUST_PROXY: "true",
      RATE_LIMITS: JSON.stringify({ read: { user: 100, ip: 3 } }),
    });
    try {
      const read = (ip: string) => limited.inject({ method: "GET", url: "/v1/events", headers: { "x-forwarded-for": ip } });
      const prefix = "2001:db8:77:1:";
      const codes = [];
      for (const host of ["a::1", "b::2", "c::3", "d::4"]) codes.push((await read(`${prefix}${host}`)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      expect((await read("2001:db8:77:2::1")).statusCode).toBe(200);
      // The upstream still learns the exact address.
      expect(seen.at(-1)!.headers["x-forwarded-for"]).toBe("2001:db8:77:2::1");
    } finally {
      await limited.close();
    }
  });

  it("metrics: the public port has no /metrics; the internal server has them", async () => {
    expect((await gate.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
    const internal = await gate.internal!.inject({ method: "GET", url: "/metrics" });
    expect(internal.statusCode).toBe(200);
    expect(internal.body).toContain("# HELP");
  });
});

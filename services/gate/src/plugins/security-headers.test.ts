import { installProblemHandlers, reachedOverTls } from "@rush/service";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_CSP, APP_CSP, HSTS, securityHeaders } from "./security-headers.ts";

describe("security headers", () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    installProblemHandlers(app);
    // inject() comes from 127.0.0.1: trust it as the TLS-terminating proxy.
    securityHeaders(app, { viaTls: (request) => reachedOverTls(request, (peer) => peer === "127.0.0.1") });
    app.get("/", async (_request, reply) => reply.type("text/html").send("<!doctype html><title>Rush</title>"));
    app.get("/v1/thing", async () => ({ ok: true }));
    app.get("/cached", async (_request, reply) => reply.code(304).send());
    app.get("/docs/", async (_request, reply) => reply.type("text/html").send("<html>docs</html>"));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it("security headers: pages get the strict CSP, no framing, nosniff and a referrer policy; no HSTS over plain HTTP", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.headers["content-security-policy"]).toBe(APP_CSP);
    expect(APP_CSP).not.toContain("unsafe-inline");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(page.headers["strict-transport-security"]).toBeUndefined();
  });

  it("security headers: HSTS only behind TLS (the trusted proxy says https); API answers and errors are locked down too", async () => {
    const tls = await app.inject({ method: "GET", url: "/v1/thing", headers: { "x-forwarded-proto": "https" } });
    expect(tls.headers["strict-transport-security"]).toBe(HSTS);
    expect(tls.headers["content-security-policy"]).toBe(API_CSP);
    const missing = await app.inject({ method: "GET", url: "/v1/nothing" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["x-content-type-options"]).toBe("nosniff");
    expect(missing.headers["content-security-policy"]).toBe(API_CSP);
  });

  it("security headers: a peer that is not a trusted proxy cannot claim TLS; the docs keep only framing rules", async () => {
    expect(reachedOverTls({ socket: { remoteAddress: "203.0.113.9" }, headers: { "x-forwarded-proto": "https" } }, () => false)).toBe(false);
    expect(reachedOverTls({ socket: { encrypted: true }, headers: {} }, () => false)).toBe(true);
    const docs = await app.inject({ method: "GET", url: "/docs/" });
    expect(docs.headers["content-security-policy"]).toBe("frame-ancestors 'none'");
    expect(docs.headers["x-frame-options"]).toBe("DENY");
  });

  it("security headers: a 304 revalidating a page keeps the page's CSP (browsers store it over the cached one); other 304s stay locked down", async () => {
    const page = await app.inject({ method: "GET", url: "/cached", headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.statusCode).toBe(304);
    expect(page.headers["content-security-policy"]).toBe(APP_CSP);
    const json = await app.inject({ method: "GET", url: "/cached", headers: { accept: "application/json" } });
    expect(json.headers["content-security-policy"]).toBe(API_CSP);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installProblemHandlers } from "@rush/service";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApp } from "./web-app.ts";

const KNOWN = "0b9c0000-0000-4000-8000-0000000000aa";

describe("web app", () => {
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "rush-web-"));
    await mkdir(join(root, "assets"));
    await writeFile(join(root, "assets", "main-abc123.js"), "console.log(1)");
    app = Fastify();
    installProblemHandlers(app);
    await writeFile(join(root, "index.html"), "<!doctype html><html><head><title>Rush</title></head><body></body></html>");
    // A page's first data, as the gate's seat-map page gives it for one known session.
    const pageData = async (request: FastifyRequest) =>
      request.url === `/sessions/${KNOWN}` ? { data: { sessionId: KNOWN, session: { id: KNOWN, eventName: "</script>Derby" } as never }, preloads: ["/v1/venues/v9/seat-map"] } : null;
    await app.register(webApp, { root, assetsPrefix: "/assets/", index: "index.html", pageData });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  const html = { accept: "text/html,application/xhtml+xml" };

  it("web app: client-side routes load index.html, never cached", async () => {
    for (const url of ["/", "/sessions/0b9c0000-0000-4000-8000-000000000000", "/tickets"]) {
      const res = await app.inject({ method: "GET", url, headers: html });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("<title>Rush</title>");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("web app: a page with first data carries it in its HTML with its preloads, never cached", async () => {
    const res = await app.inject({ method: "GET", url: `/sessions/${KNOWN}`, headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toContain('<link rel="preload" as="fetch" crossorigin href="/v1/venues/v9/seat-map">');
    expect(res.body).toContain('<script type="application/json" id="rush-boot">{"sessionId":"0b9c0000-0000-4000-8000-0000000000aa","session":{"id":"0b9c0000-0000-4000-8000-0000000000aa","eventName":"\\u003c/script>Derby"}}</script></head>');
    const bare = await app.inject({ method: "GET", url: "/sessions/0b9c0000-0000-4000-8000-000000000000", headers: html });
    expect(bare.body).not.toContain("rush-boot");
  });

  it("web app: hashed assets are cached for a year", async () => {
    const res = await app.inject({ method: "GET", url: "/assets/main-abc123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("web app: API paths and non-HTML requests stay problem+json 404s", async () => {
    for (const [url, headers] of [["/v1/nothing", html], ["/socket.io/x", html], ["/dev/outbox", html], ["/sessions/x", { accept: "application/json" }]] as const) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
  });

  it("web app: in development every page names the mail outbox (the app links to it), the seat map's page too", async () => {
    const dev = Fastify();
    installProblemHandlers(dev);
    const pageData = async (request: FastifyRequest) => (request.url === `/sessions/${KNOWN}` ? { data: { sessionId: KNOWN }, preloads: [] } : null);
    await dev.register(webApp, { root, assetsPrefix: "/assets/", index: "index.html", pageData, devOutbox: "/dev/outbox" });
    try {
      for (const url of ["/", "/tickets", `/sessions/${KNOWN}`]) {
        const res = await dev.inject({ method: "GET", url, headers: html });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers["content-type"]).toContain("text/html");
        expect(res.body, url).toContain('<meta name="rush-dev-outbox" content="/dev/outbox">');
      }
      // Without the option (production), no page says a word about it.
      expect((await app.inject({ method: "GET", url: "/tickets", headers: html })).body).not.toContain("rush-dev-outbox");
    } finally {
      await dev.close();
    }
  });
});

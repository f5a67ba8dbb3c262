import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installProblemHandlers } from "@rush/service";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApp } from "./web-app.ts";

describe("web app", () => {
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "rush-web-"));
    await mkdir(join(root, "assets"));
    await writeFile(join(root, "index.html"), "<!doctype html><title>Rush</title>");
    await writeFile(join(root, "assets", "main-abc123.js"), "console.log(1)");
    app = Fastify();
    installProblemHandlers(app);
    await app.register(webApp, { root, assetsPrefix: "/assets/", index: "index.html" });
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

  it("web app: hashed assets are cached for a year", async () => {
    const res = await app.inject({ method: "GET", url: "/assets/main-abc123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("web app: API paths and non-HTML requests stay problem+json 404s", async () => {
    for (const [url, headers] of [["/v1/nothing", html], ["/socket.io/x", html], ["/sessions/x", { accept: "application/json" }]] as const) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
  });
});

import { brotliDecompressSync, gunzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compression, encodedJson, preferredEncoding } from "./compression.ts";

describe("compression", () => {
  let app: FastifyInstance;
  const big = { seats: Array.from({ length: 5000 }, (_, i) => ({ id: `A-${Math.floor(i / 40)}-${i % 40}`, status: "available" })) };
  const cached = encodedJson(JSON.stringify(big));

  beforeAll(async () => {
    app = Fastify();
    await compression(app);
    app.get("/big", async () => big);
    app.get("/small", async () => ({ ok: true }));
    app.get("/cached", async (request, reply) => cached.send(request, reply));
    app.post("/echo", async (request) => ({ length: String(request.body).length }));
    app.post("/big", async () => big);
    app.route({ method: ["GET", "POST"], url: "/both", handler: async () => big });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it("compression: large answers go out as br or gzip when asked for, plain otherwise; small ones stay plain", async () => {
    const plain = JSON.stringify(big);
    const br = await app.inject({ method: "GET", url: "/big", headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.rawPayload.length).toBeLessThan(plain.length / 10);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain);
    const gz = await app.inject({ method: "GET", url: "/big", headers: { "accept-encoding": "gzip" } });
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain);
    const none = await app.inject({ method: "GET", url: "/big" });
    expect(none.headers["content-encoding"]).toBeUndefined();
    expect(none.body).toBe(plain);
    const small = await app.inject({ method: "GET", url: "/small", headers: { "accept-encoding": "br" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("compression: answers to writes (POST) go out plain, skipping the per-request negotiation; a route that also reads keeps it", async () => {
    const posted = await app.inject({ method: "POST", url: "/big", headers: { "accept-encoding": "br" } });
    expect(posted.headers["content-encoding"]).toBeUndefined();
    expect(posted.body).toBe(JSON.stringify(big));
    const both = await app.inject({ method: "GET", url: "/both", headers: { "accept-encoding": "br" } });
    expect(both.headers["content-encoding"]).toBe("br");
  });

  it("compression: a shared answer is compressed once and served as is, with Vary", async () => {
    const first = await app.inject({ method: "GET", url: "/cached", headers: { "accept-encoding": "br" } });
    const second = await app.inject({ method: "GET", url: "/cached", headers: { "accept-encoding": "br" } });
    expect(first.headers["content-encoding"]).toBe("br");
    expect(first.headers.vary).toContain("accept-encoding");
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(JSON.parse(brotliDecompressSync(first.rawPayload).toString())).toEqual(big);
  });

  it("compression: Accept-Encoding is read with its q-values; request bodies are never decompressed by the gate", async () => {
    const ask = (value: string) => preferredEncoding({ headers: { "accept-encoding": value } } as never);
    expect(ask("gzip;q=1.0, br;q=0")).toBe("gzip");
    expect(ask("identity")).toBeUndefined();
    expect(ask("*")).toBe("gzip");
    const res = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "text/plain", "content-encoding": "gzip" }, payload: "not gzip at all" });
    expect(res.statusCode).toBe(200);
  });
});

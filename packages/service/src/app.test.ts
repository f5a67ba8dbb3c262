import { PROBLEM_CONTENT_TYPE } from "@rush/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceApp } from "./app.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";

describe("service app", () => {
  const app = createServiceApp({ logger: createLogger("app-test", "silent"), metrics: createMetrics("app-test"), checks: {} });
  beforeAll(async () => {
    app.get("/v1/commands/:id", async (request) => ({ id: (request.params as { id: string }).id }));
    await app.ready();
  });
  afterAll(() => app.close());

  it("service app: a 128-character path parameter (a command id) is routed", async () => {
    const id = "c".repeat(128);
    const res = await app.inject({ method: "GET", url: `/v1/commands/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id });
  });

  it("service app: errors Fastify raises before routing are problem+json too", async () => {
    const res = await app.inject({ method: "GET", url: `/v1/commands/${"c".repeat(300)}` });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ code: "bad_request", status: res.statusCode });
  });
});

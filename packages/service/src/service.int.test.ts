import { type Bus, connectBus } from "@rush/bus";
import { type NatsServer, type RedisServer, type TestDatabase, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceApp } from "./app.ts";
import { natsCheck, postgresCheck, redisCheck } from "./checks.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { connectRedisSubscriber, createRedis } from "./redis.ts";

describe("service shell", () => {
  let nats: NatsServer;
  let redisServer: RedisServer;
  let database: TestDatabase;
  let bus: Bus;
  let redis: Redis;
  let sql: Sql;
  let app: FastifyInstance;

  beforeAll(async () => {
    [nats, redisServer, database] = await Promise.all([startNats(), startRedis(), testDatabase("svc")]);
    bus = await connectBus({ servers: nats.url, name: "shell-test" });
    redis = createRedis(redisServer.url, "shell-test");
    sql = postgres(database.url, { max: 1 });
    app = createServiceApp({
      logger: createLogger("shell-test", "silent"),
      metrics: createMetrics("shell-test"),
      checks: { nats: natsCheck(bus), redis: redisCheck(redis, 2_000), postgres: postgresCheck(sql) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await sql?.end();
    await bus?.close();
    await Promise.all([nats?.dispose(), redisServer?.dispose(), database?.drop()]);
  });

  it("service shell: ready when NATS, Redis and PostgreSQL all answer", async () => {
    const res = await app.inject({ method: "GET", url: "/health/ready" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ready", checks: { nats: { status: "ok" }, redis: { status: "ok" }, postgres: { status: "ok" } } });
  });

  it("service shell: Redis answers through the shared client", async () => {
    await redis.set("shell:probe", "42", "PX", 10_000);
    expect(await redis.get("shell:probe")).toBe("42");
  });

  it("service shell: not ready while Redis is down, ready again after it restarts", async () => {
    await redisServer.kill();
    const down = await app.inject({ method: "GET", url: "/health/ready" });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.redis.status).toBe("down");
    expect((await app.inject({ method: "GET", url: "/health/live" })).statusCode).toBe(200);
    await redisServer.start();
    await expect.poll(async () => (await app.inject({ method: "GET", url: "/health/ready" })).statusCode, { timeout: 10_000 }).toBe(200);
  });

  it("service shell: /metrics serves Prometheus text with the service label", async () => {
    const res = await app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toContain('process_cpu_user_seconds_total{service="shell-test"}');
  });

  it("service shell: echoes the caller's correlation id", async () => {
    const res = await app.inject({ method: "GET", url: "/health/live", headers: { "x-correlation-id": "abc-123" } });
    expect(res.headers["x-correlation-id"]).toBe("abc-123");
  });

  it("service shell: subscribers subscribe right after connecting, with no handshake command refused (ioredis#2037)", async () => {
    // A plain connection that subscribes while connecting failed this about one time in four here.
    const refused: unknown[] = [];
    for (let i = 0; i < 60; i++) {
      const sub = await connectRedisSubscriber(redisServer.url, `race-${i}`);
      sub.on("error", (error) => refused.push(error));
      const subscribed = [sub.psubscribe("race#*"), sub.subscribe("race-a", "race-b")];
      await new Promise((resolve) => setTimeout(resolve, i % 6));
      subscribed.push(sub.subscribe("race-c"));
      for (const result of await Promise.allSettled(subscribed)) if (result.status === "rejected") refused.push(result.reason);
      sub.disconnect();
    }
    expect(refused).toEqual([]);
  });

  it("service shell: a subscriber hears its channels again after Redis restarts", async () => {
    const sub = await connectRedisSubscriber(redisServer.url, "restart-sub");
    const heard: string[] = [];
    sub.on("message", (_channel, message) => heard.push(message));
    const refused: unknown[] = [];
    sub.on("error", (error) => refused.push(error));
    try {
      await sub.subscribe("restart-channel");
      await redis.publish("restart-channel", "before");
      await expect.poll(() => heard).toContain("before");
      await redisServer.kill();
      await redisServer.start();
      // Published until heard: the resubscribe lands some time after the restart.
      await expect
        .poll(async () => {
          await redis.publish("restart-channel", "after").catch(() => 0);
          return heard;
        }, { timeout: 15_000, interval: 200 })
        .toContain("after");
      // Connection errors while Redis was down are expected; a refused command is not.
      expect(refused.filter((error) => String(error).includes("allowed in this context"))).toEqual([]);
    } finally {
      sub.disconnect();
    }
  });
});

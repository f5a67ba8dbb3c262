import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("catalog process", () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    [nats, redis, database] = await Promise.all([startNats(), startRedis(), testDatabase("catalog_main")]);
    env = { NATS_URL: nats.url, REDIS_URL: redis.url, DATABASE_URL: database.url, SCRYPT_LOG_N: "12", LOG_LEVEL: "warn" };
  });
  afterAll(async () => {
    await Promise.all([nats?.dispose(), redis?.dispose(), database?.drop()]);
  });

  it("main: migrates, seeds the first admin from the environment, serves the API, drains on SIGTERM", async () => {
    let service: ServiceProcess | undefined;
    try {
      service = await spawnService("catalog", { ...env, ADMIN_EMAIL: "root@example.com", ADMIN_PASSWORD: "a long admin password" });
      const login = await fetch(`${service.url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "root@example.com", password: "a long admin password" }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(`${service.url}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(await me.json()).toMatchObject({ email: "root@example.com", roles: ["admin"] });
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('service="catalog"');
    } finally {
      await service?.stop();
    }
    expect(service?.child.exitCode).toBe(0);
  });

  it("main: refuses to start in production without an admin and a real JWT secret", async () => {
    const service = await spawnService("catalog", { ...env, NODE_ENV: "production" }, { waitReady: false });
    await new Promise<void>((resolve) => (service.child.exitCode !== null ? resolve() : service.child.once("exit", () => resolve())));
    expect(service.child.exitCode).toBe(1);
    expect(service.output()).toMatch(/ADMIN_EMAIL/);
    expect(service.output()).toMatch(/JWT_SECRET/);
  });
});

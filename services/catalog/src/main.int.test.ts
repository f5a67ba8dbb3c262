import { createHmac } from "node:crypto";
import { ACCESS_TOKEN } from "@rush/contracts";
import { DEV_JWT_SECRET } from "@rush/service";
import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** An HS256 access token as anyone who read this repository could sign it. */
function forgeToken(secret: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, iat: now, exp: now + 600, ...claims })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

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

  it("main: with NODE_ENV unset but real secrets it starts, and the dev-secret admin token is 401", async () => {
    let service: ServiceProcess | undefined;
    const secret = "a-deployment-secret-of-at-least-32-characters";
    try {
      service = await spawnService("catalog", { ...env, NODE_ENV: undefined, JWT_SECRET: secret, TWO_FACTOR_KEY: "a-deployment-key-for-sealing-totp-secrets", ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "a long admin password" });
      const users = (token: string) => fetch(`${service!.url}/v1/users?email=ops@example.com`, { headers: { authorization: `Bearer ${token}` } });
      const forged = await users(forgeToken(DEV_JWT_SECRET, { sub: crypto.randomUUID(), email: "x@example.com", roles: ["admin"] }));
      expect(forged.status).toBe(401);
      expect(forged.headers.get("content-type")).toContain("application/problem+json");
      // The same request signed with the deployment's secret passes: the 401 is the secret, not the shape.
      expect((await users(forgeToken(secret, { sub: crypto.randomUUID(), email: "x@example.com", roles: ["admin"] }))).status).toBe(200);
    } finally {
      await service?.stop();
    }
  });
});

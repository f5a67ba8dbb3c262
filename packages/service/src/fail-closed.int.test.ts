import { type ServiceProcess, spawnService } from "@rush/testkit";
import { describe, expect, it } from "vitest";

// Whatever the runner's environment holds, these start unset: a deployment that forgot them.
const FORGOTTEN = {
  NODE_ENV: undefined,
  NATS_URL: undefined,
  REDIS_URL: undefined,
  DATABASE_URL: undefined,
  JWT_SECRET: undefined,
  ADMISSION_SECRET: undefined,
  TICKET_SIGNING_KEY: undefined,
  ADMIN_EMAIL: undefined,
  ADMIN_PASSWORD: undefined,
  MOCK_PROVIDER: undefined,
};

/**
 * The keys each service must name when it refuses to start without them. Two processes stand
 * for all six (each costs seconds of tsx start on a busy machine); every service's config test
 * checks its own keys the same way.
 */
const REQUIRED: Record<string, string[]> = {
  gate: ["DATABASE_URL", "JWT_SECRET", "ADMISSION_SECRET"],
  order: ["DATABASE_URL", "JWT_SECRET", "TICKET_SIGNING_KEY"],
};

const exited = (service: ServiceProcess) =>
  new Promise<void>((resolve) => (service.child.exitCode !== null ? resolve() : service.child.once("exit", () => resolve())));

describe("fail closed", () => {
  it("config: a service started with no NODE_ENV and no secrets exits 1, naming what is missing and why", async () => {
    const services = await Promise.all(Object.keys(REQUIRED).map((name) => spawnService(name, FORGOTTEN, { waitReady: false })));
    try {
      await Promise.all(services.map(exited));
      for (const service of services) {
        expect(service.child.exitCode, `${service.name}:\n${service.output()}`).toBe(1);
        expect(service.output()).toContain("refusing to start");
        expect(service.output()).toContain("NODE_ENV is unset");
        for (const key of REQUIRED[service.name]!) expect(service.output(), service.name).toContain(key);
      }
    } finally {
      await Promise.all(services.map((s) => s.kill()));
    }
  });
});

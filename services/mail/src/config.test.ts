import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

describe("mail config", () => {
  it("mail config: development needs nothing set and keeps messages in the outbox", () => {
    const config = readConfig({ NODE_ENV: "development" });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.OUTBOX_DIR).toMatch(/\.data\/outbox$/);
  });

  it("mail config: production refuses to start without SMTP_URL, APP_URL and the real ticket key, naming each", () => {
    const boot = () => readConfig({ NODE_ENV: "production", NATS_URL: "nats://n:4222", DATABASE_URL: "postgres://d/rush" });
    for (const key of ["SMTP_URL", "APP_URL", "TICKET_SIGNING_KEY"]) expect(boot).toThrow(new RegExp(key));
  });
});

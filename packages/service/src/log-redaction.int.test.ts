import { Writable } from "node:stream";
import { createDb, runMigrations, users } from "@rush/db";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("log redaction", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await testDatabase("logredact");
    await runMigrations(database.url);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("logs: a database error is logged with its query and code but without parameters or quoted values", async () => {
    const db = createDb(database.url, { max: 1 });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("redaction-test", "info", sink);
    const row = { email: "secret.person@example.com", passwordHash: "$scrypt$ln=15,r=8,p=1$SECRETHASH", displayName: "S" };
    try {
      await db.db.insert(users).values(row);
      const failure = await db.db.insert(users).values(row).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      // The unscrubbed error does carry them: this is what the serializer must remove.
      expect(String((failure as Error).message)).toContain("SECRETHASH");
      logger.error({ err: failure }, "insert failed");
    } finally {
      await db.close();
    }
    const logged = lines.join("");
    expect(logged).toContain("Failed query: insert into");
    expect(logged).toContain("23505");
    expect(logged).not.toContain("secret.person");
    expect(logged).not.toContain("SECRETHASH");
  });
});

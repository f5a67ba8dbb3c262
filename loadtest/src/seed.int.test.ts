import { authPlugin } from "@rush/service";
import { runMigrations } from "@rush/db";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import Fastify from "fastify";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBuyers, seededEmail } from "./seed.ts";

const SECRET = "rush-loadtest-seed-secret-0123456789";

describe("loadtest seed", () => {
  let database: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await testDatabase("seed");
    await runMigrations(database.url);
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it("seed: creates buyers in bulk whose tokens the services' auth accepts", async () => {
    const { runId, buyers } = await seedBuyers({ databaseUrl: database.url, buyers: 12_345, jwtSecret: SECRET, runId: "int-1" });
    expect(runId).toBe("int-1");
    expect(buyers).toHaveLength(12_345);
    const [row] = await sql<{ n: number; hashes: number }[]>`
      select count(*)::int as n, count(distinct password_hash)::int as hashes from users where email like ${"buyer-int-1-%"}`;
    expect(row).toEqual({ n: 12_345, hashes: 1 });
    const last = buyers.at(-1)!;
    const [stored] = await sql`select id, roles from users where email = ${seededEmail("int-1", 12_344)}`;
    expect(stored).toMatchObject({ id: last.id, roles: ["customer"] });

    // The same plugin every service verifies tokens with.
    const app = Fastify();
    await app.register(authPlugin, { secret: SECRET });
    app.get("/who", { config: { auth: { roles: ["customer"] } } }, async (request) => request.principal);
    const ok = await app.inject({ url: "/who", headers: { authorization: `Bearer ${last.token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sub: last.id, email: last.email, roles: ["customer"] });
    const otherSecret = await seedBuyers({ databaseUrl: database.url, buyers: 1, jwtSecret: "another-secret-0123456789", runId: "int-2" });
    const refused = await app.inject({ url: "/who", headers: { authorization: `Bearer ${otherSecret.buyers[0]!.token}` } });
    expect(refused.statusCode).toBe(401);
    await app.close();
  });

  it("seed: a run id used twice changes nothing (the batch is one transaction)", async () => {
    await seedBuyers({ databaseUrl: database.url, buyers: 3, jwtSecret: SECRET, runId: "twice" });
    await expect(seedBuyers({ databaseUrl: database.url, buyers: 5, jwtSecret: SECRET, runId: "twice" })).rejects.toThrow(/duplicate key/);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where email like ${"buyer-twice-%"}`;
    expect(row?.n).toBe(3);
  });
});

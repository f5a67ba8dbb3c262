import { type PrivatePostgres, freshDatabase, startPrivatePostgres } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, createDb, reconnectDelaySeconds } from "./client.ts";

describe("db reconnect", () => {
  let pg: PrivatePostgres;
  let db: Db;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    db = createDb((await freshDatabase(pg.adminUrl, "reconnect")).url, { max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await pg?.dispose();
  });

  it("db: the pool's pause between tries stays under a second however long the server has been gone", () => {
    for (let retries = 0; retries <= 100; retries++) expect(reconnectDelaySeconds(retries)).toBeLessThanOrEqual(1);
  });

  it("db: after an outage long enough to fail many tries, the first query once the server is back is answered within seconds, not after the client's default 10–20 s backoff", { timeout: 120_000 }, async () => {
    await db.sql`select 1`;
    await pg.stop();
    // Queries keep failing for a while, as a service's consumers and timers would: each failed
    // connect raises the pool's shared retry count (the default backoff is 10–20 s after seven).
    const outageEnds = Date.now() + 6_000;
    let failures = 0;
    while (Date.now() < outageEnds) {
      await db.sql`select 1`.then(
        () => expect.unreachable("the server is down"),
        () => failures++,
      );
    }
    expect(failures).toBeGreaterThan(0);
    await pg.start();
    const back = Date.now();
    let answered = false;
    while (!answered) answered = await db.sql`select 1`.then(() => true, () => false);
    const seconds = (Date.now() - back) / 1000;
    console.info(`db reconnect: first answer ${seconds.toFixed(1)} s after the server was back (${failures} failed queries during the outage)`);
    // A bound far above the 1 s pause, far below the default's 10 s minimum after that outage.
    expect(seconds).toBeLessThan(8);
  });
});

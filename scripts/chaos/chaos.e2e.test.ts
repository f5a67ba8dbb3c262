import { createDb, runMigrations } from "@rush/db";
import { type NatsServer, type RedisServer, type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyer, newTally } from "./buyers.ts";
import { apiClient, sleep } from "./client.ts";
import { checkInvariants } from "./invariants.ts";
import { setUpSale } from "./setup.ts";

const SECRET = "rush-chaos-e2e-secret-0123456789";
const PARTITIONS = 8;

/**
 * `pnpm chaos` short (CHAOS_SHORT's faults), on every service as a real process and private
 * servers: 8 buyers hold and pay while Redis is restarted and a ticket worker is SIGKILLed (not
 * restarted: the other must take all its partitions). The chaos part is bounded to ~60 s.
 * Asserted: sales resume after each fault, the survivor owns every partition, and the
 * invariants (no seat in two completed orders, paid ⇒ tickets or refund, map = tickets, no
 * too_many_holds for holds a buyer does not have once faults are over). How fast is printed,
 * not asserted: this tier shares the machine; `pnpm chaos` is the measurement.
 */
describe("chaos (short) against every service", () => {
  let database: TestDatabase;
  let nats: NatsServer;
  let redis: RedisServer;
  const services: ServiceProcess[] = [];
  let gate: ServiceProcess;
  let victim: ServiceProcess;
  let survivor: ServiceProcess;

  beforeAll(async () => {
    database = await testDatabase("chaos");
    [nats, redis] = await Promise.all([startNats(), startRedis(), runMigrations(database.url)]);
    const env = { NATS_URL: nats.url, NATS_REPLICAS: String(nats.replicas), REDIS_URL: redis.url, DATABASE_URL: database.url, PARTITIONS: String(PARTITIONS), JWT_SECRET: SECRET, LOG_LEVEL: "warn" };
    const slow = { readyTimeoutMs: 180_000 };
    const started = await Promise.all([
      spawnService("catalog", { ...env, SCRYPT_LOG_N: "10", PASSWORD_HASH_THREADS: "1" }, slow),
      spawnService("ticket", { ...env, WORKER_ID: "chaos-w1" }, slow),
      spawnService("ticket", { ...env, WORKER_ID: "chaos-w2" }, slow),
      spawnService("order", env, slow),
      spawnService("payment", env, slow),
    ]);
    services.push(...started);
    const [catalog, w1, w2, order, payment] = started;
    [victim, survivor] = [w1!, w2!];
    // Eight buyers drive the whole sale: on a quiet machine they spend a 10-per-10 s hold budget
    // in moments, and 429s would hide whether sales resumed after a fault (what this run checks).
    const limits = JSON.stringify({ hold: { user: 1000, ip: 10_000 } });
    gate = await spawnService("gate", { ...env, CATALOG_URL: catalog!.url, ORDER_URL: order!.url, PAYMENT_URL: payment!.url, RATE_LIMITS: limits }, slow);
    services.push(gate);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([nats?.dispose(), redis?.dispose()]);
    await database?.drop();
  });

  const ownedBy = async (worker: ServiceProcess) => {
    const res = await fetch(`${worker.url}/partitions`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    const body = res?.ok ? ((await res.json()) as { partitions: { caughtUp: boolean }[] }) : { partitions: [] };
    return body.partitions.filter((p) => p.caughtUp).length;
  };

  it("chaos: Redis restarted and a ticket worker SIGKILLed mid-sale; sales resume and every invariant holds", async () => {
    const api = apiClient(gate.url);
    const sale = await setUpSale(api, { rows: 10, perRow: 25, buyers: 8 });
    await expect.poll(async () => (await ownedBy(victim)) + (await ownedBy(survivor)), { timeout: 60_000, interval: 250 }).toBe(PARTITIONS);

    const tally = newTally();
    let over = false;
    const buyers = Promise.all(sale.tokens.map(({ token }) => buyer(api, token, sale.sessionId, tally, () => over)));
    const firstGrantAfter = (t: number) => tally.grantTimes.find((g) => g >= t);

    await sleep(8_000);
    const redisAt = Date.now();
    await redis.stop();
    await sleep(1_000);
    await redis.start();
    const redisBack = Date.now();

    await sleep(10_000);
    const killAt = Date.now();
    await victim.kill();
    await expect.poll(() => ownedBy(survivor), { timeout: 30_000, interval: 200 }).toBe(PARTITIONS);
    const takenOver = Date.now();

    const faultsOver = Date.now();
    await sleep(10_000);
    over = true;
    await buyers;
    const afterRedis = firstGrantAfter(redisBack);
    const afterKill = firstGrantAfter(takenOver);
    console.info(
      `chaos (short): redis restart ${((redisBack - redisAt) / 1000).toFixed(1)} s, first grant ${afterRedis ? ((afterRedis - redisBack) / 1000).toFixed(2) : "-"} s after; ` +
        `worker SIGKILL: partitions taken over in ${((takenOver - killAt) / 1000).toFixed(1)} s ` +
        `(${survivor.output().includes("worker gone") ? "seen gone by NATS" : "after the lease TTL"}), first grant ${afterKill ? ((afterKill - takenOver) / 1000).toFixed(2) : "-"} s after; ` +
        `answers ${JSON.stringify(Object.fromEntries(tally.codes))}`,
    );
    expect(afterRedis, "a grant after Redis answered again").toBeDefined();
    expect(afterKill, "a grant after the takeover").toBeDefined();
    expect(tally.phantomRefusals.filter((at) => at > faultsOver + 5_000)).toEqual([]);
    // A fault is a 503 (or the buyer's own timeout) to retry, never a 500: a 500 is a bug.
    expect([...tally.codes].filter(([answer]) => /^\w+ 500\b/.test(answer)), "answers 500").toEqual([]);

    // Payments, orders and tickets settle; then the invariants.
    const db = createDb(database.url, { max: 2, applicationName: "chaos-e2e" });
    try {
      await expect
        .poll(async () => {
          const found = await checkInvariants(db.sql, api, sale.tokens[0]!.token, sale.sessionId);
          return found.paidWithoutTicketsOrRefund + found.completedWithWrongTicketCount + (found.mapMatchesTickets ? 0 : 1);
        }, { timeout: 60_000, interval: 1_000 })
        .toBe(0);
      const found = await checkInvariants(db.sql, api, sale.tokens[0]!.token, sale.sessionId);
      expect(found).toMatchObject({ doubleSold: 0, paidWithoutTicketsOrRefund: 0, completedWithWrongTicketCount: 0, mapMatchesTickets: true });
      expect(found.tickets).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});

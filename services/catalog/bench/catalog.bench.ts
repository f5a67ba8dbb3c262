/**
 * `pnpm bench catalog`: how long opening (publishing) a 100,000-seat session takes, and how
 * much 100 concurrent logins (scrypt at production cost) delay the catalog's event loop.
 *
 * Starts its own nats-server and redis-server, a fresh database on the test PostgreSQL, two
 * ticket workers and the catalog as real processes, all on loopback; stops everything itself.
 * The event-loop figures come from the catalog's own `/metrics` (prom-client samples the loop
 * with perf_hooks.monitorEventLoopDelay and resets the histogram at every scrape).
 */
import { randomBytes, scryptSync } from "node:crypto";
import { runMigrations } from "@rush/db";
import {
  type NatsServer,
  type RedisServer,
  type ServiceProcess,
  type TestDatabase,
  TEST_STACK_ENV,
  freshDatabase,
  infra,
  spawnService,
  startNats,
  startRedis,
  testPgAdminUrl,
} from "@rush/testkit";
import postgres from "postgres";

const LOGINS = 100;
const AREAS = 20;
const ROWS = 100;
const SEATS_PER_ROW = 50;
const BENCH_TIMEOUT_MS = 5 * 60_000;
const ADMIN = { email: "admin@example.com", password: "admin-dev-password" };

const deadline = setTimeout(() => {
  console.error(`bench: gave up after ${BENCH_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, BENCH_TIMEOUT_MS);
deadline.unref();

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function postgresAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function client(base: string) {
  return async <T>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** The catalog's event-loop lag gauges (seconds → ms); scraping also resets the histogram. */
async function eventLoopLag(base: string): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN) * 1000;
  return { p50: read("nodejs_eventloop_lag_p50_seconds"), p99: read("nodejs_eventloop_lag_p99_seconds"), max: read("nodejs_eventloop_lag_max_seconds") };
}

async function main(): Promise<void> {
  const adminUrl = testPgAdminUrl();
  const pgWasUp = await postgresAnswers(adminUrl);
  if (!pgWasUp) await infra(["up", "postgres"]);
  let nats: NatsServer | undefined;
  let redis: RedisServer | undefined;
  let database: TestDatabase | undefined;
  const services: ServiceProcess[] = [];
  try {
    [nats, redis, database] = await Promise.all([startNats(), startRedis(), freshDatabase(adminUrl, "bench_catalog")]);
    await runMigrations(database.url);
    const env = { NATS_URL: nats.url, REDIS_URL: redis.url, DATABASE_URL: database.url, LOG_LEVEL: "warn" };
    services.push(
      ...(await Promise.all([
        spawnService("ticket", { ...env, WORKER_ID: "bench-1" }),
        spawnService("ticket", { ...env, WORKER_ID: "bench-2" }),
        spawnService("catalog", env),
      ])),
    );
    const catalog = services[2]!;
    const api = client(catalog.url);
    const { accessToken: token } = await api<{ accessToken: string }>("POST", "/v1/auth/login", { body: ADMIN });

    // ── Opening a 100,000-seat session ──────────────────────────────────────────
    const seatMap = {
      areas: Array.from({ length: AREAS }, (_, i) => ({ id: `S${i + 1}`, name: `Section ${i + 1}`, rowCount: ROWS, seatsPerRow: SEATS_PER_ROW })),
    };
    let t = performance.now();
    const venue = await api<{ id: string; capacity: number }>("POST", "/v1/venues", { token, body: { name: "Bench Bowl", address: "loopback", seatMap } });
    const createVenueMs = performance.now() - t;
    const event = await api<{ id: string }>("POST", "/v1/events", { token, body: { venueId: venue.id, name: "Bench Final", category: "sports" } });
    const now = Date.now();
    const session = await api<{ id: string }>("POST", `/v1/events/${event.id}/sessions`, {
      token,
      body: {
        startsAt: new Date(now + 30 * 86_400_000).toISOString(),
        endsAt: new Date(now + 30 * 86_400_000 + 7_200_000).toISOString(),
        saleStartsAt: new Date(now).toISOString(),
        saleEndsAt: new Date(now + 29 * 86_400_000).toISOString(),
        priceCategories: [{ name: "All", areaIds: seatMap.areas.map((a) => a.id), price: { amount: "50.00", currency: "EUR" } }],
      },
    });
    t = performance.now();
    const published = await api<{ inventory: { seats: number } }>("POST", `/v1/sessions/${session.id}/publish`, { token });
    const publishMs = performance.now() - t;
    t = performance.now();
    await api("POST", `/v1/sessions/${session.id}/publish`, { token });
    const republishMs = performance.now() - t;
    t = performance.now();
    await api("GET", `/v1/venues/${venue.id}`);
    const seatMapMs = performance.now() - t;
    t = performance.now();
    const availability = await api<{ totals: { available: number } }>("GET", `/v1/sessions/${session.id}/availability`);
    const availabilityMs = performance.now() - t;
    if (published.inventory.seats !== venue.capacity || availability.totals.available !== venue.capacity) {
      throw new Error(`published ${published.inventory.seats} seats, ${availability.totals.available} available, expected ${venue.capacity}`);
    }

    // ── 100 concurrent logins ──────────────────────────────────────────────────
    const users = Array.from({ length: LOGINS }, (_, i) => ({ email: `bench${i}@example.com`, password: `bench password ${i}`, displayName: `Bench ${i}` }));
    for (let i = 0; i < users.length; i += 20) await Promise.all(users.slice(i, i + 20).map((u) => api("POST", "/v1/auth/register", { body: u })));
    await eventLoopLag(catalog.url);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await eventLoopLag(catalog.url);
    t = performance.now();
    const latencies = await Promise.all(
      users.map(async (u, i) => {
        const start = performance.now();
        // Distinct client addresses, as the gate forwards them: the per-IP throttle is not what is measured.
        await api("POST", "/v1/auth/login", { body: { email: u.email, password: u.password }, headers: { "x-forwarded-for": `10.0.${i >> 8}.${i & 255}` } });
        return performance.now() - start;
      }),
    );
    const loginWallMs = performance.now() - t;
    const busy = await eventLoopLag(catalog.url);
    latencies.sort((a, b) => a - b);
    // What one login would block an event loop for if it hashed inline (same parameters as the pool).
    t = performance.now();
    for (let i = 0; i < 5; i++) scryptSync("bench password", randomBytes(16), 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 256 * 2 ** 15 * 8 });
    const inlineHashMs = (performance.now() - t) / 5;

    console.log(`
catalog bench (${AREAS} areas × ${ROWS} rows × ${SEATS_PER_ROW} seats, 2 ticket workers, 64 partitions)
  create venue (${venue.capacity.toLocaleString("en")} seats)     ${ms(createVenueMs)}
  open session (publish, all areas loaded) ${ms(publishMs)}   (${Math.round(venue.capacity / (publishMs / 1000)).toLocaleString("en")} seats/s)
  publish again (idempotent)              ${ms(republishMs)}   (${(publishMs / republishMs).toFixed(1)}× faster)
  GET seat map (expanded venue)           ${ms(seatMapMs)}
  GET availability (first, uncached)      ${ms(availabilityMs)}

${LOGINS} concurrent logins (scrypt N=2^15, r=8, p=1, in a piscina pool)
  wall time ${ms(loginWallMs)}  (${(LOGINS / (loginWallMs / 1000)).toFixed(0)} logins/s)   latency p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}
  catalog event-loop delay, idle:    p50 ${ms(idle.p50)}  p99 ${ms(idle.p99)}  max ${ms(idle.max)}
  catalog event-loop delay, logins:  p50 ${ms(busy.p50)}  p99 ${ms(busy.p99)}  max ${ms(busy.max)}   (p99 ${(busy.p99 / idle.p99).toFixed(1)}× idle)
  (prom-client samples every 10 ms, so an idle loop reads ~10 ms; one inline scrypt hash would block it ${ms(inlineHashMs)},
   ${LOGINS} of them ${ms(inlineHashMs * LOGINS)} in all)
`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([nats?.dispose(), redis?.dispose(), database?.drop()]);
    if (!pgWasUp) await infra(["down", "postgres"], TEST_STACK_ENV);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

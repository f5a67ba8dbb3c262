/**
 * Demo data, loaded by `scripts/start.ts` once every service is ready: a 20,000-seat bowl in
 * 20 areas, an event, one on-sale session without waiting room and one with it, both
 * published. Idempotent: a re-run finds the demo by name and only fills in what is missing
 * (and publishes again, which the seat engine applies once).
 *
 * Env: CATALOG_URL (default http://127.0.0.1:8105), GATE_URL (default http://127.0.0.1:8080),
 * ADMIN_EMAIL / ADMIN_PASSWORD (the dev defaults otherwise).
 */
import { pathToFileURL } from "node:url";

const CATALOG_URL = process.env.CATALOG_URL ?? "http://127.0.0.1:8105";
const GATE_URL = process.env.GATE_URL ?? "http://127.0.0.1:8080";
const ADMIN = { email: process.env.ADMIN_EMAIL ?? "admin@example.com", password: process.env.ADMIN_PASSWORD ?? "admin-dev-password" };
const BUYER = { email: "buyer@example.com", password: "buyer-dev-password", displayName: "Demo Buyer" };

const VENUE_NAME = "Rush Demo Arena";
const EVENT_NAME = "Rush Demo Cup Final";
const AREAS = 20;
const ROWS = 25;
const SEATS_PER_ROW = 40;

interface SessionView {
  id: string;
  status: string;
  saleEndsAt: string;
  waitingRoom: { enabled: boolean } | null;
}
interface EventView {
  id: string;
  name: string;
  venueId: string;
  sessions: { id: string }[];
}

async function api<T>(method: string, path: string, options: { token?: string; body?: unknown; ok?: number[] } = {}): Promise<T> {
  const res = await fetch(`${CATALOG_URL}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    // Publishing 20,000 seats takes a few seconds; the catalog gives up on its own after two minutes.
    signal: AbortSignal.timeout(150_000),
  });
  const text = await res.text();
  if (!(options.ok ?? [200, 201]).includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Sections around an oval bowl: rows run along the pitch side, front row at 140 units from the centre. */
function bowl() {
  return {
    areas: Array.from({ length: AREAS }, (_, i) => {
      const theta = (2 * Math.PI * i) / AREAS;
      const half = (SEATS_PER_ROW - 1) / 2;
      const radius = 140;
      return {
        id: `S${String(i + 1).padStart(2, "0")}`,
        name: `Section ${101 + i}`,
        rowCount: ROWS,
        seatsPerRow: SEATS_PER_ROW,
        layout: {
          x: Math.round((200 + radius * Math.cos(theta) - half * Math.sin(theta)) * 100) / 100,
          y: Math.round((200 + radius * Math.sin(theta) + half * Math.cos(theta)) * 100) / 100,
          rotation: Math.round(((theta * 180) / Math.PI - 90) * 100) / 100,
          seatSpacing: 1,
          rowSpacing: 1.2,
        },
      };
    }),
  };
}

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `S${String(from + i).padStart(2, "0")}`);

/** A session of the demo event on sale now (the bench opens fresh ones the same way). */
export function sessionBody(waitingRoom: boolean) {
  const day = 86_400_000;
  const startsAt = Date.now() + 60 * day;
  return {
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(),
    saleStartsAt: new Date(Date.now() - 3_600_000).toISOString(),
    saleEndsAt: new Date(startsAt - 3_600_000).toISOString(),
    priceCategories: [
      { name: "Premium", areaIds: [...ids(1, 4), ...ids(11, 14)], price: { amount: "95.00", currency: "EUR" } },
      { name: "Standard", areaIds: [...ids(5, 7), ...ids(15, 17)], price: { amount: "65.00", currency: "EUR" } },
      { name: "Value", areaIds: [...ids(8, 10), ...ids(18, 20)], price: { amount: "35.00", currency: "EUR" } },
    ],
    holdTtlSeconds: 600,
    maxSeatsPerHold: 8,
    ...(waitingRoom ? { waitingRoom: { enabled: true, admitPerSecond: 50 } } : {}),
  };
}

async function findOrCreateEvent(token: string): Promise<EventView> {
  const found = await api<{ items: EventView[] }>("GET", `/v1/events?q=${encodeURIComponent(EVENT_NAME)}&limit=100`);
  const existing = found.items.find((e) => e.name === EVENT_NAME);
  if (existing) return existing;
  const venues = await api<{ items: { id: string }[] }>("GET", `/v1/venues?name=${encodeURIComponent(VENUE_NAME)}`);
  const venueId =
    venues.items[0]?.id ??
    (await api<{ id: string }>("POST", "/v1/venues", { token, body: { name: VENUE_NAME, address: "1 Stadium Way, Rush City", seatMap: bowl() } })).id;
  return api<EventView>("POST", "/v1/events", {
    token,
    body: {
      venueId,
      name: EVENT_NAME,
      description: "The demo flash sale: 20,000 seats, two sessions, one behind a waiting room.",
      category: "sports",
      tags: ["demo", "football", "final"],
    },
  });
}

async function main(): Promise<void> {
  const { accessToken: token } = await api<{ accessToken: string }>("POST", "/v1/auth/login", { body: ADMIN });
  await api("POST", "/v1/auth/register", { body: BUYER, ok: [201, 409] });
  const event = await findOrCreateEvent(token);

  const sessions = await Promise.all(event.sessions.map((s) => api<SessionView>("GET", `/v1/sessions/${s.id}`)));
  const usable = sessions.filter((s) => s.status !== "closed" && Date.parse(s.saleEndsAt) > Date.now() + 3_600_000);
  const pick = async (waitingRoom: boolean) =>
    usable.find((s) => Boolean(s.waitingRoom?.enabled) === waitingRoom) ??
    (await api<SessionView>("POST", `/v1/events/${event.id}/sessions`, { token, body: sessionBody(waitingRoom) }));
  const open = await pick(false);
  const queued = await pick(true);
  const started = Date.now();
  for (const session of [open, queued]) await api("POST", `/v1/sessions/${session.id}/publish`, { token });

  console.log(`
demo loaded: "${EVENT_NAME}", ${(AREAS * ROWS * SEATS_PER_ROW).toLocaleString("en")} seats in ${AREAS} areas (published in ${Date.now() - started} ms)
  seat map, on sale now:        ${GATE_URL}/sessions/${open.id}
  seat map, with waiting room:  ${GATE_URL}/sessions/${queued.id}
  API:  ${GATE_URL}/v1/events/${event.id}
        ${GATE_URL}/v1/sessions/${open.id}/availability
        ${GATE_URL}/v1/sessions/${open.id}/seats
  sign in as ${BUYER.email} / ${BUYER.password} (buyer) or ${ADMIN.email} (admin)
`);
}

// Run as a script; imported (by a bench) for its session body only.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`demo data: ${(error as Error).message}`);
    process.exit(1);
  });
}

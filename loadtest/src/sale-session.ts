import { request } from "node:http";

/** The demo event `./scripts/start` loads (scripts/demo.ts). */
export const DEMO_EVENT_NAME = "Rush Demo Cup Final";

export interface NewSaleOptions {
  baseUrl: string;
  admin: { email: string; password: string };
  /** The sale opens this long after publishing: buyers who arrive earlier wait in the room and are shuffled. */
  opensInSeconds: number;
  admitPerSecond: number;
}

export interface SaleSession {
  id: string;
  /** When the sale opens (epoch ms). */
  opensAt: number;
}

/** node:http, not fetch: fetch refuses some ports (10080, the gate's with PORT_OFFSET=2000). */
function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        // Publishing loads every seat into the engine: seconds for the demo's 20,000.
        timeout: 150_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(new Error(`${method} ${path} answered ${status}: ${text.slice(0, 300)}`));
          else resolve((text ? JSON.parse(text) : {}) as T);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * A fresh session of the demo event for one run, behind a waiting room, every area on sale: each
 * run sells from a full house instead of what earlier runs left. Organizer work, so it signs in
 * as the dev admin (one login).
 */
export async function createSaleSession(options: NewSaleOptions): Promise<SaleSession> {
  const base = options.baseUrl.replace(/\/$/, "");
  const { accessToken } = await call<{ accessToken: string }>(base, "POST", "/v1/auth/login", undefined, options.admin);
  const found = await call<{ items: { id: string; name: string; venueId: string }[] }>(
    base,
    "GET",
    `/v1/events?q=${encodeURIComponent(DEMO_EVENT_NAME)}&limit=100`,
  );
  const event = found.items.find((e) => e.name === DEMO_EVENT_NAME);
  if (!event) throw new Error(`no "${DEMO_EVENT_NAME}" event: ./scripts/start loads it, or pass --session <uuid>`);
  const venue = await call<{ seatMap: { areas: { id: string }[] } }>(base, "GET", `/v1/venues/${event.venueId}`);
  const now = Date.now();
  const opensAt = now + options.opensInSeconds * 1000;
  const startsAt = now + 30 * 86_400_000;
  const session = await call<{ id: string }>(base, "POST", `/v1/events/${event.id}/sessions`, accessToken, {
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(),
    saleStartsAt: new Date(opensAt).toISOString(),
    saleEndsAt: new Date(startsAt - 3_600_000).toISOString(),
    priceCategories: [{ name: "Load run", areaIds: venue.seatMap.areas.map((a) => a.id), price: { amount: "65.00", currency: "EUR" } }],
    holdTtlSeconds: 600,
    maxSeatsPerHold: 8,
    waitingRoom: { enabled: true, admitPerSecond: options.admitPerSecond },
  });
  await call(base, "POST", `/v1/sessions/${session.id}/publish`, accessToken);
  return { id: session.id, opensAt };
}

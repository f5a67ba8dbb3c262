/**
 * Test data through the public API (API.md), as an organizer and buyers would create it: the
 * browser tests then find it where any user would.
 */
export const ADMIN = { email: "admin@example.com", password: "admin-dev-password" };

export type Api = <T = unknown>(
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; body: T }>;

export function apiOf(baseUrl: string): Api {
  return async (method, path, options = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        accept: "application/json",
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
}

/**
 * `POST /v1/orders/:id/pay` as a client honours the API: a 503 (`order_pending` while the order a
 * hold just named is being opened; the seat engine slow) is asked again a moment later, and a
 * 200 `payment_pending` (the settlement still under way) is followed on `GET /v1/orders/:id`
 * until it ends, within 30 s in all.
 */
export async function payOrder(
  api: Api,
  orderId: string,
  options: { token: string; body: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: { status: string } }> {
  const deadline = Date.now() + 30_000;
  const pause = () => new Promise((r) => setTimeout(r, 1_000));
  for (;;) {
    const answer = await api<{ status: string }>("POST", `/v1/orders/${orderId}/pay`, options);
    if (answer.status === 503 && Date.now() < deadline) {
      await pause();
      continue;
    }
    while (answer.status === 200 && answer.body.status === "payment_pending" && Date.now() < deadline) {
      await pause();
      const order = await api<{ status: string }>("GET", `/v1/orders/${orderId}`, { token: options.token });
      if (order.status === 200) answer.body = { ...answer.body, status: order.body.status };
    }
    return answer;
  }
}

async function ok<T>(answer: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Joins a session's waiting room as an API client would (how a crowd forms ahead of a browser buyer). */
export const joinQueue = (api: Api, token: string, sessionId: string) =>
  ok(api<{ position: number; admitted: boolean }>("POST", `/v1/sessions/${sessionId}/queue`, { token, headers: { "accept-language": "en" } }), "join queue");

export const login = async (api: Api, email: string, password: string) =>
  (await ok(api<{ accessToken: string }>("POST", "/v1/auth/login", { body: { email, password } }), `login ${email}`)).accessToken;

export async function registerBuyer(api: Api, name: string): Promise<{ email: string; password: string; token: string }> {
  const email = `${name.toLowerCase()}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = "correct-horse-battery";
  await ok(api("POST", "/v1/auth/register", { body: { email, password, displayName: name } }), `register ${email}`);
  return { email, password, token: await login(api, email, password) };
}

/**
 * A published, on-sale session: `areas` areas of rows × seats in a grid, three price categories.
 * `saleOpensInMs` puts the sale's opening ahead; `publish: false` leaves a draft; `startsInDays`
 * moves the date (30 days by default).
 */
export async function createSale(
  api: Api,
  token: string,
  shape: {
    areas: number;
    rows: number;
    perRow: number;
    name?: string;
    waitingRoom?: { enabled: boolean; admitPerSecond: number };
    saleOpensInMs?: number;
    startsInDays?: number;
    publish?: boolean;
  },
): Promise<{ sessionId: string; eventId: string }> {
  const ids = Array.from({ length: shape.areas }, (_, i) => `S${String(i + 1).padStart(2, "0")}`);
  const venue = await ok(
    api<{ id: string }>("POST", "/v1/venues", {
      token,
      body: {
        name: `E2E Arena ${Date.now()}`,
        address: "1 Test Street",
        seatMap: {
          areas: ids.map((id, i) => ({
            id,
            name: `Section ${101 + i}`,
            rowCount: shape.rows,
            seatsPerRow: shape.perRow,
            layout: { x: (i % 5) * (shape.perRow + 6), y: Math.floor(i / 5) * (shape.rows * 1.2 + 6), rotation: 0, seatSpacing: 1, rowSpacing: 1.2 },
          })),
        },
      },
    }),
    "create venue",
  );
  const event = await ok(
    api<{ id: string }>("POST", "/v1/events", { token, body: { venueId: venue.id, name: shape.name ?? `E2E Final ${Date.now()}`, description: "Browser test", category: "sports" } }),
    "create event",
  );
  const day = 86_400_000;
  const third = Math.ceil(ids.length / 3);
  const session = await ok(
    api<{ id: string }>("POST", `/v1/events/${event.id}/sessions`, {
      token,
      body: {
        startsAt: new Date(Date.now() + (shape.startsInDays ?? 30) * day).toISOString(),
        endsAt: new Date(Date.now() + (shape.startsInDays ?? 30) * day + 3 * 3_600_000).toISOString(),
        saleStartsAt: new Date(Date.now() + (shape.saleOpensInMs ?? -60_000)).toISOString(),
        saleEndsAt: new Date(Date.now() + ((shape.startsInDays ?? 30) - 1) * day).toISOString(),
        priceCategories: [
          { name: "Premium", areaIds: ids.slice(0, third), price: { amount: "95.00", currency: "EUR" } },
          { name: "Standard", areaIds: ids.slice(third, 2 * third), price: { amount: "65.00", currency: "EUR" } },
          { name: "Value", areaIds: ids.slice(2 * third), price: { amount: "35.00", currency: "EUR" } },
        ].filter((c) => c.areaIds.length > 0),
        holdTtlSeconds: 600,
        maxSeatsPerHold: 8,
        ...(shape.waitingRoom ? { waitingRoom: shape.waitingRoom } : {}),
      },
    }),
    "create session",
  );
  if (shape.publish !== false) await ok(api("POST", `/v1/sessions/${session.id}/publish`, { token }), "publish");
  return { sessionId: session.id, eventId: event.id };
}

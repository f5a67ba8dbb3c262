import { randomUUID } from "node:crypto";
import { type Api, patiently } from "./client.ts";

const ADMIN = { email: process.env.ADMIN_EMAIL ?? "admin@example.com", password: process.env.ADMIN_PASSWORD ?? "admin-dev-password" };
export const AREAS = ["C1", "C2", "C3", "C4"];
export const HOLD_TTL_SECONDS = 120;

/** A fresh venue, event and published session of `AREAS` × rows × seats, on sale now, and its buyers' tokens. */
export async function setUpSale(api: Api, spec: { rows: number; perRow: number; buyers: number }) {
  const deadline = Date.now() + 180_000;
  const must = (what: string, answer: { status: number; body: unknown }, ok = [200, 201]) => {
    if (!ok.includes(answer.status)) throw new Error(`chaos setup: ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as Record<string, unknown>;
  };
  const admin = must("admin login", await patiently(() => api("POST", "/v1/auth/login", { body: ADMIN }), deadline));
  const token = admin.accessToken as string;
  const run = randomUUID().slice(0, 8);
  const venue = must("venue", await api("POST", "/v1/venues", {
    token,
    body: { name: `Chaos Hall ${run}`, address: "1 Fault Lane", seatMap: { areas: AREAS.map((id) => ({ id, name: id, rowCount: spec.rows, seatsPerRow: spec.perRow })) } },
  }));
  const event = must("event", await api("POST", "/v1/events", { token, body: { venueId: venue.id, name: `Chaos ${run}`, description: "chaos run", category: "music" } }));
  const day = 86_400_000;
  const session = must("session", await api("POST", `/v1/events/${event.id}/sessions`, {
    token,
    body: {
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      endsAt: new Date(Date.now() + 30 * day + 3_600_000).toISOString(),
      saleStartsAt: new Date(Date.now() - 60_000).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
      priceCategories: [{ name: "All", areaIds: AREAS, price: { amount: "20.00", currency: "EUR" } }],
      holdTtlSeconds: HOLD_TTL_SECONDS,
      maxSeatsPerHold: 4,
      // A few buyers keep buying through every fault: a per-buyer cap reached early would read
      // as "no grant after the fault" on a fast machine.
      maxSeatsPerBuyer: 100,
    },
  }));
  must("publish", await api("POST", `/v1/sessions/${session.id}/publish`, { token, timeoutMs: 150_000 }));
  const tokens: { id: number; token: string }[] = [];
  // Sign-ups in small waves: hashing is bounded, and the catalog says when to come back.
  for (let i = 0; i < spec.buyers; i += 4) {
    await Promise.all(
      Array.from({ length: Math.min(4, spec.buyers - i) }, async (_, j) => {
        const email = `chaos-${run}-${i + j}@example.com`;
        const password = "chaos-password-123";
        must("register", await patiently(() => api("POST", "/v1/auth/register", { body: { email, password, displayName: "Chaos" } }), deadline));
        const login = must("login", await patiently(() => api("POST", "/v1/auth/login", { body: { email, password } }), deadline));
        tokens.push({ id: i + j, token: login.accessToken as string });
      }),
    );
  }
  return { sessionId: session.id as string, seats: AREAS.length * spec.rows * spec.perRow, tokens };
}

import type { Client } from "./http-client.ts";

export interface SaleInfo {
  waitingRoom: boolean;
  /** Area ids with their seat ids, in the seat map's order. */
  areas: { id: string; seatIds: string[] }[];
}

/** A run against a session that cannot sell measures nothing: say why before the first buyer. */
export class NotOnSaleError extends Error {}

export async function preflight(client: Client, sessionId: string, token: string): Promise<SaleInfo> {
  const auth = { authorization: `Bearer ${token}` };
  const session = await client.call("preflight", "GET", `/v1/sessions/${sessionId}`, { headers: auth });
  if (session.status === 404) throw new NotOnSaleError(`session ${sessionId} does not exist`);
  if (session.status !== 200) throw new Error(`GET /v1/sessions/${sessionId} answered ${session.status}: ${JSON.stringify(session.body)}`);
  const { status, saleEndsAt, waitingRoom } = session.body as { status: string; saleEndsAt: string; waitingRoom: { enabled: boolean } | null };
  if (status !== "on_sale") throw new NotOnSaleError(`session ${sessionId} is not on sale (status ${status}): publish it, or pick a session on sale`);
  if (Date.parse(saleEndsAt) <= Date.now()) throw new NotOnSaleError(`session ${sessionId}'s sale ended at ${saleEndsAt}`);
  const seats = await client.call("preflight", "GET", `/v1/sessions/${sessionId}/seats`, { headers: auth });
  if (seats.status !== 200) throw new Error(`GET /v1/sessions/${sessionId}/seats answered ${seats.status}`);
  const areas = (seats.body.areas as { id: string; seats: { id: string; status: string }[] }[]).map((a) => ({
    id: a.id,
    seatIds: a.seats.filter((s) => s.status === "available").map((s) => s.id),
  }));
  if (areas.every((a) => a.seatIds.length === 0)) throw new NotOnSaleError(`session ${sessionId} has no seats left`);
  return { waitingRoom: Boolean(waitingRoom?.enabled), areas };
}

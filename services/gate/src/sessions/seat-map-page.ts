import { setTimeout as sleep } from "node:timers/promises";
import type { SeatMapSparseView, SessionView } from "@rush/contracts";
import type { BootData } from "@rush/web/server";
import type { FastifyInstance, FastifyRequest } from "fastify";

/** A page's first data and what its HTML should start fetching at once. */
export interface PageData {
  data: BootData;
  preloads: string[];
}

const SEAT_MAP_PAGE = /^\/sessions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?(?:[?#]|$)/i;

/**
 * The seat-map page's first data (`/sessions/:id`): the session and its seat states, read
 * through the gate's own routes in process (the same caches, rate limits and answers the app's
 * own fetches would get, as the same client), and a preload of the venue's seat map. On a slow
 * link this saves the buyer every round trip after the script's. Bounded: past `timeoutMs`, or
 * when the session cannot be read, the page goes out bare and the app fetches as it always did.
 */
export function seatMapPageData(app: FastifyInstance, options: { timeoutMs: number }) {
  return async (request: FastifyRequest): Promise<PageData | null> => {
    const sessionId = SEAT_MAP_PAGE.exec(request.url)?.[1];
    if (!sessionId) return null;
    const forwardedFor = request.headers["x-forwarded-for"];
    const read = async <T>(url: string): Promise<T | undefined> => {
      const res = await app.inject({
        method: "GET",
        url,
        remoteAddress: request.socket.remoteAddress ?? request.ip,
        headers: { accept: "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      });
      return res.statusCode === 200 ? (res.json() as T) : undefined;
    };
    const reads = Promise.all([read<SessionView>(`/v1/sessions/${sessionId}`), read<SeatMapSparseView>(`/v1/sessions/${sessionId}/seats?format=sparse`)]);
    const late = sleep(options.timeoutMs, null, { ref: false });
    const [session, seats] = (await Promise.race([reads, late]).catch(() => null)) ?? [];
    if (!session || session.id !== sessionId) return null;
    return {
      data: { sessionId, session, ...(seats ? { seats } : {}) },
      preloads: [`/v1/venues/${encodeURIComponent(session.venueId)}/seat-map`],
    };
  };
}

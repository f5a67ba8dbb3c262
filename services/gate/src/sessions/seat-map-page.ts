import { setTimeout as sleep } from "node:timers/promises";
import type { SeatMapSparseView, SessionView } from "@rush/contracts";
import type { CompactSeatMap } from "@rush/contracts/seat-map-runs";
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
    const read = async <T>(url: string, accept = "application/json"): Promise<T | undefined> => {
      const res = await app.inject({
        method: "GET",
        url,
        remoteAddress: request.socket.remoteAddress ?? request.ip,
        headers: { accept, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      });
      return res.statusCode === 200 ? (res.json() as T) : undefined;
    };
    const sessionRead = read<SessionView>(`/v1/sessions/${sessionId}`);
    const reads = Promise.all([sessionRead, read<SeatMapSparseView>(`/v1/sessions/${sessionId}/seats?format=sparse`)]);
    const venueRead = sessionRead.then((s) => (s ? read<CompactSeatMap>(`/v1/venues/${encodeURIComponent(s.venueId)}/seat-map`, "*/*") : undefined));
    venueRead.catch(() => {});
    const late = sleep(options.timeoutMs, null, { ref: false });
    const [session, seats] = (await Promise.race([reads, late]).catch(() => null)) ?? [];
    // The venue within what is left of the same budget; late, the page goes with a preload instead.
    const venueSeatMap = session ? await Promise.race([venueRead, late.then(() => undefined)]).catch(() => undefined) : undefined;
    if (!session || session.id !== sessionId) return null;
    // The venue's runs (≈2.4 kB compressed for 20,000 seats) in the page itself: the map is built
    // and drawn in the same task as the app's first render, with no paint of an empty page and no
    // task hop for a fetch in between (issue 14). Without them, a preload as before.
    return {
      data: { sessionId, session, ...(seats ? { seats } : {}), ...(venueSeatMap ? { venueSeatMap } : {}) },
      preloads: venueSeatMap ? [] : [`/v1/venues/${encodeURIComponent(session.venueId)}/seat-map`],
    };
  };
}

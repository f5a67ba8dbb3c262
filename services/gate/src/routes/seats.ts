import { SeatMapQuery, SeatMapSparseView, SeatMapView, SessionIdParams } from "@rush/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { GateContext } from "../context.ts";
import { encodedJson } from "../plugins/compression.ts";
import { type SeatMapSnapshot, createSeatMapCache } from "../sessions/seat-map-cache.ts";
import { seatMapJson, seatMapSparse } from "../sessions/seat-map-json.ts";
import { sessionOr404 } from "../sessions/sale-window.ts";
import type { SessionSettings } from "../sessions/session-settings.ts";

type Format = "full" | "sparse";

/**
 * `GET /v1/sessions/:id/seats`: the live seat map from the Redis read model; a signed-in
 * caller's own holds show as `mine`; `?format=sparse` names only the seats that are not available
 * (the browser app's form). Everyone without a hold sees the same bytes, so that answer
 * is written and compressed once per version (a flash sale polls it thousands of times a second);
 * a holder's own answer is written for them, with their own seats read fresh. In a sale the map is
 * re-read at most every `SEAT_MAP_REFRESH_MS`, except for a buyer whose new hold it may lack. Both answers are
 * JSON text that matches `SeatMapView` by construction (`seatMapJson`), so the schema-typed send
 * is bypassed on purpose: validating 20,000 seats per answer was most of the gate's CPU in a sale.
 */
export const createSeatRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const { config } = ctx;
  const seatMaps = createSeatMapCache(ctx.redis, { refreshMs: config.SEAT_MAP_REFRESH_MS, now: () => ctx.clock.now() });
  /**
   * Whether the snapshot may lack a hold of `viewer`'s: one granted after it was taken (less the
   * time an engine answer may take to reach the read model), which lasts past taken + the hold's
   * TTL. Seats they hold in it are read fresh for them instead (`withOwnSeats`).
   */
  const ownHoldMissing = (session: SessionSettings, viewer: string) => (snapshot: SeatMapSnapshot) =>
    ctx.liveHolds.anyLastingPast(session.id, viewer, snapshot.takenAt - config.HOLD_WAIT_MS - config.LIVE_HOLD_GRACE_MS + session.holdTtlMs);
  /** The answer as `viewer` sees it (everyone without a hold in the snapshot sees the same one). */
  const textOf = (format: Format, sessionId: string, snapshot: SeatMapSnapshot, viewer?: string) =>
    format === "sparse" ? JSON.stringify(seatMapSparse(sessionId, snapshot, viewer)) : seatMapJson(sessionId, snapshot, viewer);
  const shared = { full: new WeakMap(), sparse: new WeakMap() } satisfies Record<Format, WeakMap<SeatMapSnapshot, ReturnType<typeof encodedJson>>>;
  const sharedJson = (format: Format, sessionId: string, snapshot: SeatMapSnapshot) => {
    let json = shared[format].get(snapshot);
    if (json === undefined) {
      json = encodedJson(textOf(format, sessionId, snapshot));
      shared[format].set(snapshot, json);
    }
    return json;
  };
  app.get(
    "/v1/sessions/:id/seats",
    {
      schema: {
        tags: ["buying"],
        summary: "The session's seat map with every seat's status (`?format=sparse`: only the seats that are not available, as runs)",
        params: SessionIdParams,
        querystring: SeatMapQuery,
        response: { 200: z.union([SeatMapView, SeatMapSparseView]) },
      },
      config: { auth: { optional: true }, rateClass: "read" },
    },
    async (request, reply) => {
      const sessionId = request.params.id;
      const format = request.query.format ?? "full";
      const session = await sessionOr404(ctx.sessions, sessionId);
      const viewer = request.principal?.sub;
      const snapshot = await seatMaps.get(sessionId, viewer === undefined ? undefined : ownHoldMissing(session, viewer));
      if (viewer === undefined || !snapshot.holders.has(viewer)) return sharedJson(format, sessionId, snapshot).send(request, reply as never);
      const own = await seatMaps.withOwnSeats(sessionId, snapshot, viewer);
      return encodedJson(textOf(format, sessionId, own, viewer)).send(request, reply as never);
    },
  );
};

import { type PublicSeatStatus, SeatMapView, SessionIdParams, seatStatusFor } from "@rush/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { GateContext } from "../context.ts";
import { encodedJson } from "../plugins/compression.ts";
import { type SeatMapSnapshot, createSeatMapCache } from "../sessions/seat-map-cache.ts";
import { sessionOr404 } from "../sessions/sale-window.ts";

/** Blocked seats are never offered, so buyers see them as sold. */
function publicStatus(code: string, viewer: string | undefined): PublicSeatStatus {
  const status = seatStatusFor(code, viewer);
  return status === "blocked" ? "sold" : status;
}

function view(sessionId: string, snapshot: SeatMapSnapshot, viewer: string | undefined): SeatMapView {
  return {
    sessionId,
    version: snapshot.version,
    areas: snapshot.areas.map((area) => ({
      id: area.id,
      seats: area.seats.map((seat) => ({ id: seat.id, status: publicStatus(seat.code, viewer) })),
    })),
  };
}

/**
 * `GET /v1/sessions/:id/seats`: the live seat map from the Redis read model; a signed-in
 * caller's own holds show as `mine`. Everyone without a hold sees the same bytes, so that answer
 * is validated, serialised and compressed once per version (a flash sale polls it thousands of times a second).
 */
export const createSeatRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const seatMaps = createSeatMapCache(ctx.redis);
  const shared = new WeakMap<SeatMapSnapshot, ReturnType<typeof encodedJson>>();
  const sharedJson = (sessionId: string, snapshot: SeatMapSnapshot) => {
    let json = shared.get(snapshot);
    if (json === undefined) {
      json = encodedJson(JSON.stringify(SeatMapView.parse(view(sessionId, snapshot, undefined))));
      shared.set(snapshot, json);
    }
    return json;
  };
  app.get(
    "/v1/sessions/:id/seats",
    {
      schema: {
        tags: ["buying"],
        summary: "The session's seat map with every seat's status",
        params: SessionIdParams,
        response: { 200: SeatMapView },
      },
      config: { auth: { optional: true }, rateClass: "read" },
    },
    async (request, reply) => {
      const sessionId = request.params.id;
      await sessionOr404(ctx.sessions, sessionId);
      const viewer = request.principal?.sub;
      const snapshot = await seatMaps.get(sessionId);
      if (viewer !== undefined && snapshot.holders.has(viewer)) return view(sessionId, snapshot, viewer);
      // Sent as built (validated once, compressed once per encoding), so the schema-typed send is bypassed on purpose.
      return sharedJson(sessionId, snapshot).send(request, reply as never);
    },
  );
};

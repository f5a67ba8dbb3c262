import {
  type PublicSeatStatus,
  SeatMapQuery,
  SeatMapSparseView,
  SeatMapView,
  SessionIdParams,
  seatStatusFor,
} from "@rush/contracts";
import { SPARSE_STATUSES, type SparseStatus, toSeatRuns } from "@rush/contracts/seat-state-runs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { GateContext } from "../context.ts";
import { encodedJson } from "../plugins/compression.ts";
import { type SeatMapSnapshot, createSeatMapCache } from "../sessions/seat-map-cache.ts";
import { sessionOr404 } from "../sessions/sale-window.ts";

type Format = "full" | "sparse";

/** Blocked seats are never offered, so buyers see them as sold. */
function publicStatus(code: string, viewer: string | undefined): PublicSeatStatus {
  const status = seatStatusFor(code, viewer);
  return status === "blocked" ? "sold" : status;
}

function fullView(sessionId: string, snapshot: SeatMapSnapshot, viewer: string | undefined): SeatMapView {
  return {
    sessionId,
    version: snapshot.version,
    areas: snapshot.areas.map((area) => ({
      id: area.id,
      seats: area.seats.map((seat) => ({ id: seat.id, status: publicStatus(seat.code, viewer) })),
    })),
  };
}

/** Only the seats that are not available, as runs per area (the snapshot is in row, number order). */
function sparseView(sessionId: string, snapshot: SeatMapSnapshot, viewer: string | undefined): SeatMapSparseView {
  return {
    sessionId,
    version: snapshot.version,
    format: "sparse-1",
    areas: snapshot.areas.map((area) => {
      const named: Record<SparseStatus, SeatMapSnapshot["areas"][number]["seats"]> = { held: [], sold: [], mine: [] };
      for (const seat of area.seats) {
        const status = publicStatus(seat.code, viewer);
        if (status !== "available") named[status].push(seat);
      }
      const runs: Partial<Record<SparseStatus, string[]>> = {};
      for (const status of SPARSE_STATUSES) if (named[status].length > 0) runs[status] = toSeatRuns(named[status]);
      return { id: area.id, ...runs };
    }),
  };
}

const VIEWS = { full: { build: fullView, schema: SeatMapView }, sparse: { build: sparseView, schema: SeatMapSparseView } } as const;

/**
 * `GET /v1/sessions/:id/seats`: the live seat map from the Redis read model; a signed-in
 * caller's own holds show as `mine`. `?format=sparse` names only the seats that are not available
 * (the browser app's form). Everyone without a hold sees the same bytes, so that answer is
 * validated, serialised and compressed once per version and format (a flash sale polls it
 * thousands of times a second).
 */
export const createSeatRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const seatMaps = createSeatMapCache(ctx.redis);
  const shared = { full: new WeakMap(), sparse: new WeakMap() } satisfies Record<Format, WeakMap<SeatMapSnapshot, ReturnType<typeof encodedJson>>>;
  const sharedJson = (format: Format, sessionId: string, snapshot: SeatMapSnapshot) => {
    let json = shared[format].get(snapshot);
    if (json === undefined) {
      const { build, schema } = VIEWS[format];
      json = encodedJson(JSON.stringify(schema.parse(build(sessionId, snapshot, undefined))));
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
      await sessionOr404(ctx.sessions, sessionId);
      const viewer = request.principal?.sub;
      const snapshot = await seatMaps.get(sessionId);
      if (viewer !== undefined && snapshot.holders.has(viewer)) return VIEWS[format].build(sessionId, snapshot, viewer);
      // Sent as built (validated once, compressed once per encoding), so the schema-typed send is bypassed on purpose.
      return sharedJson(format, sessionId, snapshot).send(request, reply as never);
    },
  );
};

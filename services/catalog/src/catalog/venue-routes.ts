import { CompactVenueSeatMap, CreateVenueRequest, ResourceIdParams, VenueListQuery, VenuePage, VenueSummary, VenueView } from "@rush/contracts";
import { encodeSeatMap } from "@rush/contracts/seat-map-runs";
import type { Database } from "@rush/db";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "./ownership.ts";
import { expandSeatMap } from "./seat-map.ts";
import { type CachedVenue, createVenueCache } from "./venue-cache.ts";

/**
 * A venue never changes once created (its id names one seat map for good), so browsers keep it
 * for a year without asking again: a returning buyer's map skips the venue entirely.
 */
const IMMUTABLE = "public, max-age=31536000, immutable";

function sendCached(request: FastifyRequest, reply: FastifyReply, venue: CachedVenue) {
  reply.header("etag", venue.etag).header("cache-control", IMMUTABLE);
  if (request.headers["if-none-match"] === venue.etag) return reply.code(304).send(null);
  // Already JSON (validated when the venue was created): Fastify sends a string as is, without
  // running the response serializer, which the typed `send` cannot express.
  return reply.type("application/json; charset=utf-8").send(venue.json);
}
import { findVenue, insertVenue, listVenues } from "./venues.ts";

/** `/v1/venues`: organizers and admins create venues (owned by the creator); anyone reads them. */
export const venueRoutes: FastifyPluginAsync<{ db: Database }> = async (parent, { db }) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.post(
    "/v1/venues",
    {
      config: { auth: { roles: ["organizer", "admin"] } },
      schema: { body: CreateVenueRequest, response: { 201: VenueSummary } },
    },
    async (request, reply) => {
      const { name, address, seatMap } = request.body;
      const venue = await insertVenue(db, { ownerId: request.principal!.sub, name, address, expanded: expandSeatMap(seatMap) });
      request.log.info({ venueId: venue.id, capacity: venue.capacity }, "venue created");
      return reply.code(201).send(venue);
    },
  );

  app.get("/v1/venues", { schema: { querystring: VenueListQuery, response: { 200: VenuePage } } }, async (request) =>
    listVenues(db, request.query),
  );

  const load = (id: string) => findVenue(db, id);
  const cached = createVenueCache(load);
  app.get("/v1/venues/:id", { schema: { params: ResourceIdParams, response: { 200: VenueView, 304: z.null() } } }, async (request, reply) => {
    const venue = await cached(request.params.id);
    if (!venue) throw notFound("venue", request.params.id);
    return sendCached(request, reply, venue);
  });

  // The seat map as runs (`@rush/contracts/seat-map-runs`): what the browser's map loads.
  const compact = createVenueCache(load, { serialize: (venue) => JSON.stringify({ id: venue.id, ...encodeSeatMap(venue.seatMap) }) });
  app.get(
    "/v1/venues/:id/seat-map",
    { schema: { params: ResourceIdParams, response: { 200: CompactVenueSeatMap, 304: z.null() } } },
    async (request, reply) => {
      const venue = await compact(request.params.id);
      if (!venue) throw notFound("venue", request.params.id);
      return sendCached(request, reply, venue);
    },
  );
};

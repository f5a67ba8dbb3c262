import { CreateVenueRequest, ResourceIdParams, VenueListQuery, VenuePage, VenueSummary, VenueView } from "@rush/contracts";
import type { Database } from "@rush/db";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "./ownership.ts";
import { expandSeatMap } from "./seat-map.ts";
import { createVenueCache } from "./venue-cache.ts";
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

  const cached = createVenueCache((id) => findVenue(db, id));
  app.get("/v1/venues/:id", { schema: { params: ResourceIdParams, response: { 200: VenueView, 304: z.null() } } }, async (request, reply) => {
    const venue = await cached(request.params.id);
    if (!venue) throw notFound("venue", request.params.id);
    reply.header("etag", venue.etag).header("cache-control", "public, max-age=300");
    if (request.headers["if-none-match"] === venue.etag) return reply.code(304).send(null);
    // Already JSON (validated when the venue was created): Fastify sends a string as is, without
    // running the response serializer, which the typed `send` cannot express.
    return reply.type("application/json; charset=utf-8").send(venue.json as unknown as VenueView);
  });
};

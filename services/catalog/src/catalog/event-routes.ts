import { CreateEventRequest, EventPage, EventSearchQuery, EventView, ResourceIdParams, UpdateEventRequest } from "@rush/contracts";
import type { Database } from "@rush/db";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { searchEvents } from "./event-search.ts";
import { findEvent, findEventRow, insertEvent, updateEvent } from "./events.ts";
import { assertCanManage, notFound } from "./ownership.ts";
import { findVenueSummary } from "./venues.ts";

const manage = { auth: { roles: ["organizer", "admin"] as const } };

/** `/v1/events`: search and read for anyone; organizers create events at their own venues and edit their own events. */
export const eventRoutes: FastifyPluginAsync<{ db: Database }> = async (parent, { db }) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.post("/v1/events", { config: manage, schema: { body: CreateEventRequest, response: { 201: EventView } } }, async (request, reply) => {
    const principal = request.principal!;
    const venue = await findVenueSummary(db, request.body.venueId);
    if (!venue) {
      throw new HttpProblem(422, "unknown_venue", "Unprocessable Content", `no venue ${request.body.venueId}`, {
        errors: [{ path: "body.venueId", message: "no such venue" }],
      });
    }
    assertCanManage(principal, venue.ownerId, "venue");
    const event = await insertEvent(db, { ...request.body, organizerId: principal.sub });
    return reply.code(201).send(event);
  });

  app.get("/v1/events", { schema: { querystring: EventSearchQuery, response: { 200: EventPage } } }, async (request) =>
    searchEvents(db, request.query),
  );

  // Drafts show only to the event's organizer (and admins); everyone else sees published dates.
  app.get("/v1/events/:id", { config: { auth: { optional: true } }, schema: { params: ResourceIdParams, response: { 200: EventView } } }, async (request) => {
    const event = await findEvent(db, request.params.id, request.principal);
    if (!event) throw notFound("event", request.params.id);
    return event;
  });

  app.patch(
    "/v1/events/:id",
    { config: manage, schema: { params: ResourceIdParams, body: UpdateEventRequest, response: { 200: EventView } } },
    async (request) => {
      const row = await findEventRow(db, request.params.id);
      if (!row) throw notFound("event", request.params.id);
      assertCanManage(request.principal!, row.organizerId, "event");
      const event = await updateEvent(db, row.id, request.body);
      if (!event) throw notFound("event", request.params.id);
      return event;
    },
  );
};

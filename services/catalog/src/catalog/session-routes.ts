import { Availability, CancelSessionRequest, CancelSessionResponse, CreateSessionRequest, PublishResponse, ResourceIdParams, SessionView } from "@rush/contracts";
import type { Database } from "@rush/db";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { CatalogMetrics } from "../metrics.ts";
import type { GetAvailability } from "./availability.ts";
import { findEventRow } from "./events.ts";
import { assertCanManage, notFound } from "./ownership.ts";
import type { CancelSession } from "./cancel-session.ts";
import type { PublishSession } from "./publish-session.ts";
import { findSession, insertSession } from "./sessions.ts";
import { findVenueSummary } from "./venues.ts";

export interface SessionRoutesOptions {
  db: Database;
  publish: PublishSession;
  cancel: CancelSession;
  availability: GetAvailability;
  metrics: CatalogMetrics;
}

const manage = { auth: { roles: ["organizer", "admin"] as const } };

/** Sessions of an event: created by the event's organizer, published to open the inventory, read by anyone. */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (parent, { db, publish, cancel, availability, metrics }) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.post(
    "/v1/events/:id/sessions",
    { config: manage, schema: { params: ResourceIdParams, body: CreateSessionRequest, response: { 201: SessionView } } },
    async (request, reply) => {
      const event = await findEventRow(db, request.params.id);
      if (!event) throw notFound("event", request.params.id);
      assertCanManage(request.principal!, event.organizerId, "event");
      const venue = await findVenueSummary(db, event.venueId);
      const session = await insertSession(db, event, venue?.areas ?? [], request.body);
      request.log.info({ sessionId: session.id, eventId: event.id }, "session created");
      return reply.code(201).send(session);
    },
  );

  app.get("/v1/sessions/:id", { schema: { params: ResourceIdParams, response: { 200: SessionView } } }, async (request) => {
    const session = await findSession(db, request.params.id);
    if (!session) throw notFound("session", request.params.id);
    return session;
  });

  app.post(
    "/v1/sessions/:id/publish",
    { config: manage, schema: { params: ResourceIdParams, response: { 200: PublishResponse } } },
    async (request) => {
      const started = performance.now();
      const published = await publish(request.params.id, request.principal!);
      metrics.publishSeconds.observe((performance.now() - started) / 1000);
      request.log.info(
        { sessionId: published.id, seats: published.inventory.seats, ms: Math.round(performance.now() - started) },
        "session published",
      );
      return published;
    },
  );

  app.post(
    "/v1/sessions/:id/cancel",
    { config: manage, schema: { params: ResourceIdParams, body: CancelSessionRequest.optional(), response: { 200: CancelSessionResponse } } },
    async (request) => {
      const cancelled = await cancel(request.params.id, request.principal!, request.body?.reason);
      request.log.info({ sessionId: cancelled.sessionId, ordersToRefund: cancelled.ordersToRefund }, "session cancelled");
      return cancelled;
    },
  );

  app.get("/v1/sessions/:id/availability", { schema: { params: ResourceIdParams, response: { 200: Availability } } }, async (request) =>
    availability(request.params.id),
  );
};

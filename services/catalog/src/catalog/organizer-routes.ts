import { type AccessTokenClaims, EventPage, ResourceIdParams, SessionSales, SessionView, UpdateSessionRequest, VenueListQuery, VenuePage } from "@rush/contracts";
import { type Database, events } from "@rush/db";
import { HttpProblem } from "@rush/service";
import { desc, eq } from "drizzle-orm";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { eventColumns, withSessions } from "./events.ts";
import { assertCanManage, notFound } from "./ownership.ts";
import type { GetSales } from "./sales.ts";
import { editProblems, editRefusal } from "./session-edits.ts";
import { findSession, updateSession } from "./sessions.ts";
import { listVenues } from "./venues.ts";

const manage = { auth: { roles: ["organizer", "admin"] as const } };
/** The console lists at most this many of one organizer's events, newest first. */
const MY_EVENTS_LIMIT = 100;

/** The organizer console: my events and venues, editing a session before its sale, live sales figures. */
export const organizerRoutes: FastifyPluginAsync<{ db: Database; sales: GetSales; clock: () => number }> = async (parent, { db, sales, clock }) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.get("/v1/me/events", { config: manage, schema: { response: { 200: EventPage } } }, async (request) => {
    const rows = await db
      .select(eventColumns)
      .from(events)
      .where(eq(events.organizerId, request.principal!.sub))
      .orderBy(desc(events.createdAt), desc(events.id))
      .limit(MY_EVENTS_LIMIT);
    return { items: await withSessions(db, rows), nextCursor: null };
  });

  app.get("/v1/me/venues", { config: manage, schema: { querystring: VenueListQuery, response: { 200: VenuePage } } }, async (request) =>
    listVenues(db, { ...request.query, ownerId: request.principal!.sub }),
  );

  /** The session, or 404; 403 when it is another organizer's. */
  const ownSession = async (principal: AccessTokenClaims, id: string) => {
    const session = await findSession(db, id);
    if (!session) throw notFound("session", id);
    assertCanManage(principal, session.organizerId, "session");
    return session;
  };

  app.patch(
    "/v1/sessions/:id",
    { config: manage, schema: { params: ResourceIdParams, body: UpdateSessionRequest, response: { 200: SessionView } } },
    async (request) => {
      const session = await ownSession(request.principal!, request.params.id);
      const refusal = editRefusal(session, clock());
      if (refusal) throw new HttpProblem(409, refusal.code, "Conflict", refusal.detail);
      const errors = editProblems(session, request.body);
      if (errors.length > 0) throw new HttpProblem(422, "invalid_session_change", "Unprocessable Content", "the change leaves the session inconsistent", { errors });
      if (!(await updateSession(db, session.id, request.body, new Date(clock())))) {
        throw new HttpProblem(409, "sale_opened", "Conflict", "the sale opened meanwhile: dates and prices are fixed once buyers can hold seats");
      }
      request.log.info({ sessionId: session.id, fields: Object.keys(request.body) }, "session edited");
      return (await findSession(db, session.id))!;
    },
  );

  app.get("/v1/sessions/:id/sales", { config: manage, schema: { params: ResourceIdParams, response: { 200: SessionSales } } }, async (request) => {
    const session = await ownSession(request.principal!, request.params.id);
    return sales(session.id, session.priceCategories[0]?.price.currency ?? "EUR");
  });
};

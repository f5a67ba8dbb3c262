import { randomUUID } from "node:crypto";
import type { SeatCommandClient, SeatOutcome } from "@rush/bus";
import { SessionIdParams, type SeatCommand, WaitlistJoinRequest, WaitlistLeaveQuery, WaitlistStatus } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { GateContext } from "../context.ts";
import { problems } from "../problems.ts";
import { assertOpen, sessionOr404 } from "../sessions/sale-window.ts";
import type { SessionSettings } from "../sessions/session-settings.ts";
import { joinProblemOf } from "../waitlist/waitlist-outcome.ts";
import { readWaitlist } from "../waitlist/waitlist-read-model.ts";

const notAnswered = () =>
  new HttpProblem(503, "not_answered", "Not answered in time", "the seat engine has the request but did not answer in time; send it again (it is idempotent)", {}, { "retry-after": "1" });

/** The areas a session sells (those with a price), for a join without an area or a leave of all. */
const areasOf = (session: SessionSettings): string[] => [...session.prices.keys()].sort();

/**
 * `POST`, `GET` and `DELETE /v1/sessions/:id/waitlist`: the caller's places on the waiting lists
 * of a sold-out session. Joins and leaves are seat commands to the area's actor, which keeps the
 * list and offers freed seats to it (see packages/engine/src/decide-waitlist.ts); reads come
 * from the read model the actor writes before it answers, so a join is visible at once.
 */
export const createWaitlistRoutes: FastifyPluginAsyncZod<{ ctx: GateContext; seats: SeatCommandClient }> = async (app, { ctx, seats }) => {
  const send = async (command: SeatCommand): Promise<Extract<SeatOutcome, { status: "done" }>> => {
    const outcome = await seats.send(command, { timeoutMs: ctx.config.HOLD_WAIT_MS });
    if (outcome.status === "pending") throw notAnswered();
    return outcome;
  };
  const security = [{ bearer: [] }];

  app.post(
    "/v1/sessions/:id/waitlist",
    {
      schema: {
        tags: ["waitlist"],
        summary: "Join the waiting list of a sold-out session (area): seats that come back are offered to the list in order",
        security,
        params: SessionIdParams,
        body: WaitlistJoinRequest,
        response: { 200: WaitlistStatus, 201: WaitlistStatus },
      },
      config: { auth: {}, rateClass: "queue" },
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const buyerId = request.principal!.sub;
      const session = await sessionOr404(ctx.sessions, request.params.id);
      assertOpen(session, now);
      const areas = areasOf(session);
      const areaId = request.body.areaId ?? (areas.length === 1 ? areas[0]! : undefined);
      if (areaId === undefined) {
        throw new HttpProblem(400, "area_required", "Area required", `this session sells several areas (${areas.join(", ")}): name one`, { areas });
      }
      if (!session.prices.has(areaId)) throw problems.unknownArea(areaId);
      const entryId = randomUUID();
      const { reply: answer } = await send({
        type: "JoinWaitlist",
        commandId: `waitlist-join:${entryId}`,
        sessionId: session.id,
        areaId,
        now,
        entryId,
        buyerId,
        quantity: request.body.quantity,
        offerTtlMs: ctx.config.WAITLIST_OFFER_TTL_SECONDS * 1000,
      });
      const problem = joinProblemOf(answer);
      if (problem) throw problem;
      const fresh = answer.events.some((event) => event.type === "WaitlistJoined");
      const entries = await readWaitlist(ctx.redis, session.id, buyerId, now);
      return reply.code(fresh ? 201 : 200).send({ sessionId: session.id, entries });
    },
  );

  app.get(
    "/v1/sessions/:id/waitlist",
    {
      schema: {
        tags: ["waitlist"],
        summary: "Your places on the session's waiting lists: position while waiting, then the offer (pay its order) or its end",
        security,
        params: SessionIdParams,
        response: { 200: WaitlistStatus },
      },
      config: { auth: {}, rateClass: "read" },
    },
    async (request) => {
      const session = await sessionOr404(ctx.sessions, request.params.id);
      return { sessionId: session.id, entries: await readWaitlist(ctx.redis, session.id, request.principal!.sub, ctx.clock.now()) };
    },
  );

  app.delete(
    "/v1/sessions/:id/waitlist",
    {
      schema: {
        tags: ["waitlist"],
        summary: "Leave the session's waiting list of one area (?areaId=) or of every area; idempotent",
        security,
        params: SessionIdParams,
        querystring: WaitlistLeaveQuery,
      },
      config: { auth: {}, rateClass: "queue" },
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const buyerId = request.principal!.sub;
      const session = await sessionOr404(ctx.sessions, request.params.id);
      const { areaId } = request.query;
      if (areaId !== undefined && !session.prices.has(areaId)) throw problems.unknownArea(areaId);
      const areas = areaId === undefined ? areasOf(session) : [areaId];
      await Promise.all(
        areas.map((area) =>
          send({ type: "LeaveWaitlist", commandId: `waitlist-leave:${randomUUID()}`, sessionId: session.id, areaId: area, now, buyerId }),
        ),
      );
      return reply.code(204).send();
    },
  );
};

import {
  ADMISSION_TOKEN_HEADER,
  CommandAccepted,
  HoldCreated,
  HoldHeaders,
  HoldRequest,
  type SeatCommand,
  SessionIdParams,
  holdIdFor,
  parseSeatId,
} from "@rush/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { GateContext } from "../context.ts";
import { recordGrant } from "../holds/grants.ts";
import { holdAnswerOf } from "../holds/hold-outcome.ts";
import { problems } from "../problems.ts";
import { assertSelling, sessionOr404 } from "../sessions/sale-window.ts";

/** The one area all `seatIds` are in, or 400. */
function areaOf(seatIds: readonly string[]): string {
  const areas = [...new Set(seatIds.map((id) => parseSeatId(id)?.areaId ?? ""))];
  if (areas.length !== 1 || !areas[0]) throw problems.seatsSpanAreas(areas);
  return areas[0];
}

/**
 * `POST /v1/sessions/:id/holds`: auth, rate limit and Idempotency-Key come from route options;
 * the handler checks the sale window, the admission token (waiting room on), the area, the
 * buyer's live-hold cap, then sends the command and waits for the actor up to HOLD_WAIT_MS.
 */
export const createHoldRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  app.post(
    "/v1/sessions/:id/holds",
    {
      schema: {
        tags: ["buying"],
        summary: "Hold seats: explicit seat ids of one area, or the best available in an area",
        security: [{ bearer: [] }],
        params: SessionIdParams,
        headers: HoldHeaders,
        body: HoldRequest,
        response: { 201: HoldCreated, 202: CommandAccepted },
      },
      config: { auth: {}, rateClass: "hold", idempotent: true },
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const buyerId = request.principal!.sub;
      const sessionId = request.params.id;
      const session = await sessionOr404(ctx.sessions, sessionId);
      assertSelling(session, now);
      if (session.waitingRoom) {
        const token = request.headers[ADMISSION_TOKEN_HEADER];
        if (!token) throw problems.admissionRequired("this session has a waiting room: join its queue and send X-Admission-Token");
        const verdict = ctx.admission.verify(token, buyerId, sessionId, now);
        if (!verdict.ok) throw problems.admissionRequired(verdict.reason);
      }
      const body = request.body;
      const areaId = body.seatIds ? areaOf(body.seatIds) : body.areaId!;
      if (!session.prices.has(areaId)) throw problems.unknownArea(areaId);

      const idempotency = request.idempotency!;
      const { commandId } = idempotency;
      const holdId = holdIdFor(commandId);
      // Provisional: a grant stretches it to the hold's expiry; an unknown fate lapses soon after the wait.
      const reservedUntil = now + ctx.config.HOLD_WAIT_MS + ctx.config.LIVE_HOLD_GRACE_MS;
      if (!(await ctx.liveHolds.reserve(sessionId, buyerId, holdId, now, reservedUntil))) {
        throw problems.tooManyHolds(ctx.config.MAX_LIVE_HOLDS_PER_BUYER);
      }

      const base = { commandId, sessionId, areaId, now, holdId, buyerId };
      const command: SeatCommand = body.seatIds
        ? { ...base, type: "HoldSeats", seatIds: body.seatIds }
        : { ...base, type: "HoldBestAvailable", quantity: body.quantity! };
      const timer = ctx.metrics.commandSeconds.startTimer({ kind: "hold" });
      let outcome: Awaited<ReturnType<typeof ctx.seatCommands.send>>;
      try {
        outcome = await ctx.seatCommands.send(command, { userId: buyerId, kind: "hold", sessionId, areaId, holdId }, ctx.config.HOLD_WAIT_MS);
      } catch (error) {
        // Not sent (NATS down): the reservation must not block the buyer's retries.
        await ctx.liveHolds.forget(sessionId, buyerId, holdId).catch(() => {});
        throw error;
      } finally {
        timer();
      }
      if (outcome.status === "pending") {
        ctx.metrics.commands.inc({ kind: "hold", outcome: "pending" });
        return reply.code(202).header("location", `/v1/commands/${commandId}`).send({ commandId, status: "pending" });
      }
      const answer = holdAnswerOf(outcome.reply, { sessionId, areaId, holdId, prices: session.prices });
      idempotency.final = true;
      ctx.metrics.commands.inc({ kind: "hold", outcome: answer.ok ? "held" : `rejected:${answer.problem.code}` });
      if (!answer.ok) {
        // A refused hold frees its slot at once (without holding up the answer); a granted one
        // keeps its reservation, which outlasts the hold and is checked against the read model.
        ctx.liveHolds.forget(sessionId, buyerId, holdId).catch((error) => request.log.warn({ err: error }, "live-hold bookkeeping failed"));
        throw answer.problem;
      }
      await recordGrant(ctx, { sessionId, buyerId, holdId, orderId: answer.body.orderId, expiresAt: Date.parse(answer.body.expiresAt), now });
      return reply.code(201).header("location", `/v1/holds/${holdId}`).send(answer.body);
    },
  );
};

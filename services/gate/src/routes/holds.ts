import {
  ADMISSION_TOKEN_HEADER,
  COMMAND_RESULT_TTL_MS,
  CommandAccepted,
  HoldCreated,
  HoldHeaders,
  HoldRequest,
  type Money,
  type SeatCommand,
  SessionIdParams,
  holdIdFor,
  parseSeatId,
} from "@rush/contracts";
import type { HopTimes } from "@rush/bus";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { GateContext } from "../context.ts";
import { defineGrantScript, recordGrant } from "../holds/grants.ts";
import { createHoldBegin } from "../holds/hold-begin.ts";
import { IDEMPOTENCY_TTL_MS, replayIfStored, storedResponse } from "../plugins/idempotency.ts";
import { holdAnswerOf } from "../holds/hold-outcome.ts";
import { problems } from "../problems.ts";
import { assertSelling, sessionOr404 } from "../sessions/sale-window.ts";

const JSON_TYPE = "application/json; charset=utf-8";

/** Marks of `reply.elapsedTime` (ms since the gate took the request), when SERVER_TIMING is on. */
interface Timing {
  pre: number;
  begun: number;
  sent: number;
  /** The engine's stretch, hop by hop (wall-clock ms from the seat-command client and the actor). */
  hops?: HopTimes | undefined;
}

/**
 * The engine's stretch split where the actor's hop times say: the command's flush → the stream
 * storing it → the worker receiving it → the actor's turn → its reply going out → the gate having it.
 */
const hopDurations = (h: HopTimes) =>
  `, stream;dur=${h.stored - h.sent}, delivery;dur=${h.received - h.stored}, queue;dur=${h.turn - h.received}, actor;dur=${h.replied - h.turn}, reply;dur=${h.answered - h.replied}`;

/** The reply, with a `Server-Timing` header from `timing`'s marks if there are any. */
function timed(reply: FastifyReply, timing: Timing | undefined): FastifyReply {
  if (!timing) return reply;
  const dur = (ms: number) => Math.max(0, ms).toFixed(1);
  const { pre, begun, sent, hops } = timing;
  const header = `pre;dur=${dur(pre)}, begin;dur=${dur(begun - pre)}, engine;dur=${dur(sent - begun)}, total;dur=${dur(reply.elapsedTime)}`;
  return reply.header("server-timing", hops ? header + hopDurations(hops) : header);
}

/** The one area all `seatIds` are in, or 400. */
function areaOf(seatIds: readonly string[]): string {
  const areas = [...new Set(seatIds.map((id) => parseSeatId(id)?.areaId ?? ""))];
  if (areas.length !== 1 || !areas[0]) throw problems.seatsSpanAreas(areas);
  return areas[0];
}

/**
 * `POST /v1/sessions/:id/holds`: auth and the per-IP limit come from route options; the handler
 * checks the sale window, the admission token (waiting room on) and the area, then in one Redis
 * round trip the per-user limit, the Idempotency-Key record and the buyer's live-hold cap, then
 * sends the command and waits for the actor up to HOLD_WAIT_MS.
 */
export const createHoldRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  /** The sale window, the admission token (waiting room on) and the area: no Redis, sessions are cached. */
  const checkHold = async (buyerId: string, sessionId: string, body: HoldRequest, token: string | undefined, now: number) => {
    const session = await sessionOr404(ctx.sessions, sessionId);
    assertSelling(session, now);
    if (session.waitingRoom) {
      if (!token) throw problems.admissionRequired("this session has a waiting room: join its queue and send X-Admission-Token");
      const verdict = ctx.admission.verify(token, buyerId, sessionId, now);
      if (!verdict.ok) throw problems.admissionRequired(verdict.reason);
    }
    const areaId = body.seatIds ? areaOf(body.seatIds) : body.areaId!;
    if (!session.prices.has(areaId)) throw problems.unknownArea(areaId);
    return { areaId, prices: session.prices };
  };
  defineGrantScript(ctx.redis);
  const beginHold = createHoldBegin(ctx.redis, {
    userLimit: app.userLimit("hold"),
    liveHolds: ctx.liveHolds,
    maxLiveHolds: ctx.config.MAX_LIVE_HOLDS_PER_BUYER,
    idempotencyTtlMs: IDEMPOTENCY_TTL_MS,
    recordTtlMs: COMMAND_RESULT_TTL_MS,
  });
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
      // The user limit, the idempotency record, the live-hold reservation and the command record
      // are one Redis script in the handler (`beginHold`); the IP limit stays before the body is read.
      config: { auth: {}, rateClass: "hold", userLimitBy: "route", idempotent: "route", linger: true },
      // The answers are built in this file and hold-outcome.ts from typed values (the type provider
      // checks them against the schemas at compile time); re-checking every 201 through zod cost
      // more than building it. The schemas still type the handler and document the route.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const buyerId = request.principal!.sub;
      const sessionId = request.params.id;
      const idempotency = request.idempotency!;
      let checked: { areaId: string; prices: ReadonlyMap<string, Money> };
      try {
        checked = await checkHold(buyerId, sessionId, request.body, request.headers[ADMISSION_TOKEN_HEADER], now);
      } catch (problem) {
        // A retry of an answered request gets its answer even if the sale has ended since.
        const replied = await replayIfStored(ctx.redis, idempotency, reply).catch(() => undefined);
        if (replied) return replied;
        throw problem;
      }
      const { areaId, prices } = checked;

      const { commandId } = idempotency;
      const holdId = holdIdFor(commandId);
      const record = { userId: buyerId, kind: "hold", sessionId, areaId, holdId } as const;
      // Provisional: a grant stretches it to the hold's expiry; an unknown fate lapses soon after the wait.
      const reservedUntil = now + ctx.config.HOLD_WAIT_MS + ctx.config.LIVE_HOLD_GRACE_MS;
      const timing: Timing | undefined = ctx.config.SERVER_TIMING ? { pre: reply.elapsedTime, begun: 0, sent: 0 } : undefined;
      const begun = await beginHold(request, reply, { idempotency, record, now, reservedUntil });
      if (begun.replied) return begun.replied;
      if (timing) timing.begun = reply.elapsedTime;

      const base = { commandId, sessionId, areaId, now, holdId, buyerId };
      const body = request.body;
      const command: SeatCommand = body.seatIds
        ? { ...base, type: "HoldSeats", seatIds: body.seatIds }
        : { ...base, type: "HoldBestAvailable", quantity: body.quantity! };
      const timer = ctx.metrics.commandSeconds.startTimer({ kind: "hold" });
      let outcome: Awaited<ReturnType<typeof ctx.seatCommands.send>>;
      try {
        outcome = await ctx.seatCommands.send(command, record, ctx.config.HOLD_WAIT_MS, begun.recorded);
      } catch (error) {
        // Not sent (NATS down): the reservation must not block the buyer's retries.
        await ctx.liveHolds.forget(sessionId, buyerId, holdId).catch(() => {});
        throw error;
      } finally {
        timer();
      }
      if (timing) {
        timing.sent = reply.elapsedTime;
        if (outcome.status === "done") timing.hops = outcome.hops;
      }
      if (outcome.status === "pending") {
        ctx.metrics.commands.inc({ kind: "hold", outcome: "pending" });
        // Rare by design (the engine answers in milliseconds): worth a line saying which partition.
        request.log.warn({ commandId, partition: outcome.partition, waitedMs: ctx.clock.now() - now }, "hold not answered in time: 202");
        return timed(reply, timing).code(202).header("location", `/v1/commands/${commandId}`).send({ commandId, status: "pending" });
      }
      const answer = holdAnswerOf(outcome.reply, { sessionId, areaId, holdId, prices });
      ctx.metrics.commands.inc({ kind: "hold", outcome: answer.ok ? "held" : `rejected:${answer.problem.code}` });
      if (!answer.ok) {
        // Final: the idempotency plugin stores the refusal as it goes out.
        idempotency.final = true;
        // A refused hold frees its slot at once (without holding up the answer); a granted one
        // keeps its reservation, which outlasts the hold and is checked against the read model.
        ctx.liveHolds.forget(sessionId, buyerId, holdId).catch((error) => request.log.warn({ err: error }, "live-hold bookkeeping failed"));
        throw answer.problem;
      }
      // A grant's answer is stored for its Idempotency-Key by `recordGrant`, with the rest of the grant.
      const idempotent = { recordKey: idempotency.recordKey, response: storedResponse(201, JSON.stringify(answer.body), JSON_TYPE) };
      // Written before the answer, not awaited: see `recordGrant` for why nothing depends on it landing first.
      void recordGrant(ctx, { sessionId, buyerId, holdId, orderId: answer.body.orderId, expiresAt: Date.parse(answer.body.expiresAt), now, idempotent });
      return timed(reply, timing).code(201).header("location", `/v1/holds/${holdId}`).send(answer.body);
    },
  );
};

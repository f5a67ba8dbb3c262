import { CommandAccepted, HoldDetails, HoldIdParams, type SeatReply, orderIdForHold } from "@rush/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { GateContext } from "../context.ts";
import { isoOf, pricedSeats } from "../holds/hold-outcome.ts";
import { readHold } from "../holds/hold-read-model.ts";
import { problems } from "../problems.ts";
import type { HttpProblem } from "@rush/service";

/** The release command of a hold: one id per hold, so a retried DELETE is the same command. */
export const releaseCommandId = (holdId: string) => `release:${holdId}`;

/** `undefined` = released (204); otherwise the problem to answer. */
export function releaseAnswerOf(reply: SeatReply, holdId: string): HttpProblem | undefined {
  for (const event of reply.events) {
    if (!("holdId" in event) || event.holdId !== holdId) continue;
    if (event.type === "HoldReleased") return undefined;
    if (event.type !== "ReleaseRejected") continue;
    switch (event.reason) {
      case "already_ended":
        return undefined; // its seats are free already: DELETE is idempotent
      case "already_sold":
        return problems.holdSold();
      case "not_owner":
        return problems.notOwner();
      case "unknown_hold":
        return problems.holdNotFound(holdId);
      default: {
        const unreachable: never = event;
        throw new Error(`unknown release reject ${JSON.stringify(unreachable)}`);
      }
    }
  }
  throw new Error(`command ${reply.commandId}: no release outcome among ${reply.events.map((e) => e.type).join(", ")}`);
}

/** `GET` and `DELETE /v1/holds/:holdId`, for the hold's owner only (from the hold read model). */
export const createHoldLifecycleRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const ownHold = async (holdId: string, buyerId: string) => {
    const hold = await readHold(ctx.redis, holdId);
    if (!hold) throw problems.holdNotFound(holdId);
    if (hold.buyerId !== buyerId) throw problems.notOwner();
    return hold;
  };

  app.get(
    "/v1/holds/:holdId",
    {
      schema: {
        tags: ["buying"],
        summary: "A hold of yours: its seats, prices, status and expiry",
        security: [{ bearer: [] }],
        params: HoldIdParams,
        response: { 200: HoldDetails },
      },
      config: { auth: {}, rateClass: "read" },
    },
    async (request) => {
      const hold = await ownHold(request.params.holdId, request.principal!.sub);
      const session = await ctx.sessions.get(hold.sessionId);
      const lapsed = hold.status === "held" && hold.expiresAt !== undefined && hold.expiresAt <= ctx.clock.now();
      return {
        holdId: hold.holdId,
        orderId: orderIdForHold(hold.holdId),
        sessionId: hold.sessionId,
        areaId: hold.areaId,
        status: lapsed ? "expired" : hold.status,
        seats: pricedSeats(hold.seatIds, hold.areaId, session?.prices ?? new Map()),
        ...(hold.expiresAt !== undefined && !lapsed ? { expiresAt: isoOf(hold.expiresAt) } : {}),
      };
    },
  );

  app.delete(
    "/v1/holds/:holdId",
    {
      schema: {
        tags: ["buying"],
        summary: "Release a hold of yours: its seats become available",
        security: [{ bearer: [] }],
        params: HoldIdParams,
        response: { 202: CommandAccepted, 204: z.null().describe("released") },
      },
      config: { auth: {}, rateClass: "hold" },
    },
    async (request, reply) => {
      const buyerId = request.principal!.sub;
      const hold = await ownHold(request.params.holdId, buyerId);
      const commandId = releaseCommandId(hold.holdId);
      const timer = ctx.metrics.commandSeconds.startTimer({ kind: "release" });
      const outcome = await ctx.seatCommands.send(
        { type: "ReleaseHold", commandId, sessionId: hold.sessionId, areaId: hold.areaId, now: ctx.clock.now(), holdId: hold.holdId, buyerId },
        { userId: buyerId, kind: "release", sessionId: hold.sessionId, areaId: hold.areaId, holdId: hold.holdId },
        ctx.config.HOLD_WAIT_MS,
      );
      timer();
      if (outcome.status === "pending") {
        ctx.metrics.commands.inc({ kind: "release", outcome: "pending" });
        return reply.code(202).header("location", `/v1/commands/${commandId}`).send({ commandId, status: "pending" });
      }
      const problem = releaseAnswerOf(outcome.reply, hold.holdId);
      ctx.metrics.commands.inc({ kind: "release", outcome: problem ? `rejected:${problem.code}` : "released" });
      if (problem) throw problem;
      await ctx.liveHolds.forget(hold.sessionId, buyerId, hold.holdId);
      return reply.code(204).send(null);
    },
  );
};

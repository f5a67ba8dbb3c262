import { CommandIdParams, CommandStatus, SeatReply, redisKeys } from "@rush/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { GateContext } from "../context.ts";
import { holdAnswerOf } from "../holds/hold-outcome.ts";
import type { CommandRecord } from "../holds/seat-commands.ts";
import { problemBody } from "@rush/service";
import { problems } from "../problems.ts";
import { releaseAnswerOf } from "./hold-lifecycle.ts";

/** `GET /v1/commands/:commandId`: a command's outcome from the result store, for its sender only. */
export const createCommandRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const resultOf = async (record: CommandRecord, reply: SeatReply): Promise<CommandStatus["result"]> => {
    if (record.kind === "release") {
      const problem = releaseAnswerOf(reply, record.holdId);
      return problem ? { statusCode: problem.status, body: problemBody(problem) } : { statusCode: 204 };
    }
    const session = await ctx.sessions.get(record.sessionId);
    const answer = holdAnswerOf(reply, { ...record, prices: session?.prices ?? new Map() });
    return answer.ok ? { statusCode: 201, body: answer.body } : { statusCode: answer.problem.status, body: problemBody(answer.problem) };
  };

  app.get(
    "/v1/commands/:commandId",
    {
      schema: {
        tags: ["buying"],
        summary: "The outcome of a command that answered 202: pending, or done with the answer the request would have had",
        security: [{ bearer: [] }],
        params: CommandIdParams,
        response: { 200: CommandStatus },
      },
      config: { auth: {}, rateClass: "read" },
    },
    async (request) => {
      const { commandId } = request.params;
      const record = await ctx.seatCommands.record(request.principal!.sub, commandId);
      // Someone else's command is as unknown to the caller as one that never existed.
      if (!record || record.userId !== request.principal!.sub) throw problems.commandNotFound(commandId);
      const text = await ctx.redis.get(redisKeys.commandResult(commandId));
      if (!text) return { commandId, status: "pending" as const };
      const reply = SeatReply.parse(JSON.parse(text));
      return { commandId, status: "done" as const, result: await resultOf(record, reply) };
    },
  );
};

import {
  POW_CHALLENGE_HEADER,
  POW_NONCE_HEADER,
  QueueJoinHeaders,
  QueueStatus,
  SessionIdParams,
} from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { scoreRequest } from "../bot/bot-score.ts";
import { checkSolution, issueChallenge } from "../bot/proof-of-work.ts";
import type { GateContext } from "../context.ts";
import { isoOf } from "../holds/hold-outcome.ts";
import { problems } from "../problems.ts";
import { assertOpen, sessionOr404 } from "../sessions/sale-window.ts";
import type { SessionSettings } from "../sessions/session-settings.ts";
import type { Place, RoomSettings } from "../waiting-room/waiting-room.ts";

/** `POST` (join, keeping any place you have) and `GET /v1/sessions/:id/queue` (your place now). */
export const createQueueRoutes: FastifyPluginAsyncZod<{ ctx: GateContext }> = async (app, { ctx }) => {
  const { config } = ctx;

  const roomOf = (session: SessionSettings): RoomSettings => ({
    saleStartsAt: session.saleStartsAt.getTime(),
    saleEndsAt: session.saleEndsAt.getTime(),
    admitPerSecond: session.waitingRoom?.admitPerSecond ?? 1,
    shuffle: session.waitingRoom?.shuffle ?? config.WAITING_ROOM_SHUFFLE,
  });

  const statusOf = (session: SessionSettings, userId: string, place: Place | undefined, now: number): QueueStatus => {
    const admitted = place === undefined || place.admitted;
    const base = { sessionId: session.id, waitingRoom: session.waitingRoom !== null, saleStartsAt: isoOf(session.saleStartsAt.getTime()) };
    if (admitted) {
      const { token, expiresAt } = ctx.admission.issue(userId, session.id, now);
      return { ...base, position: 0, admitted: true, admissionToken: token, admissionExpiresAt: isoOf(expiresAt) };
    }
    const rate = session.waitingRoom?.admitPerSecond ?? 1;
    const untilStart = Math.max(0, session.saleStartsAt.getTime() - now) / 1000;
    return { ...base, position: place.position, admitted: false, estimatedWaitSeconds: Math.ceil(untilStart + place.position / rate) };
  };

  /** A suspicious join must come with a solved proof-of-work challenge (428 hands one out). */
  const requireProofOfWork = async (request: FastifyRequest, userId: string, sessionId: string, now: number) => {
    const bot = await scoreRequest(ctx.redis, { userId, ip: ctx.clientIp(request), headers: request.headers }, now, {
      cadenceMax: config.BOT_CADENCE_MAX,
      accountsPerIp: config.BOT_ACCOUNTS_PER_IP,
    });
    if (bot.score < config.BOT_CHALLENGE_SCORE) return;
    const token = request.headers[POW_CHALLENGE_HEADER];
    const nonce = request.headers[POW_NONCE_HEADER];
    let reason = "solve the challenge and join again with X-PoW-Challenge and X-PoW-Nonce";
    if (typeof token === "string" && typeof nonce === "string") {
      const check = checkSolution(config.ADMISSION_SECRET, token, nonce, {
        userId,
        sessionId,
        minDifficulty: config.BOT_POW_DIFFICULTY,
        now,
      });
      if (check.ok) {
        const fresh = await ctx.redis.set(`pow:used:${check.salt}`, "1", "PX", Math.max(1, check.expiresAt - now), "NX");
        if (fresh === "OK") return;
        reason = "this challenge was already used";
      } else {
        reason = check.reason;
      }
    }
    ctx.metrics.queueJoins.inc({ outcome: "challenged" });
    const challenge = issueChallenge(config.ADMISSION_SECRET, userId, sessionId, config.BOT_POW_DIFFICULTY, now + config.BOT_POW_TTL_SECONDS * 1000);
    throw new HttpProblem(428, "challenge_required", "Proof of work required", reason, {
      challenge: {
        token: challenge.token,
        difficulty: challenge.difficulty,
        algorithm: "sha256-leading-zero-bits",
        expiresAt: isoOf(challenge.expiresAt),
      },
      score: bot.score,
      reasons: bot.reasons,
    });
  };

  const schema = (summary: string, extra: object = {}) => ({
    tags: ["buying"],
    summary,
    security: [{ bearer: [] }],
    params: SessionIdParams,
    response: { 200: QueueStatus },
    ...extra,
  });
  // A waiting room's buyers poll every few seconds, so this answer goes out more than any other.
  // `statusOf` builds it from typed values (checked against QueueStatus at compile time, and by
  // the waiting-room tests); a zod pass over every answer at run time only cost CPU.
  const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

  app.post(
    "/v1/sessions/:id/queue",
    {
      schema: schema("Join the session's waiting room (keeps your place if you are in it)", { headers: QueueJoinHeaders }),
      config: { auth: {}, rateClass: "queue" },
      serializerCompiler,
    },
    async (request) => {
      const now = ctx.clock.now();
      const userId = request.principal!.sub;
      const session = await sessionOr404(ctx.sessions, request.params.id);
      assertOpen(session, now);
      if (!session.waitingRoom) {
        ctx.metrics.queueJoins.inc({ outcome: "no_room" });
        return statusOf(session, userId, undefined, now);
      }
      await requireProofOfWork(request, userId, session.id, now);
      const place = await ctx.waitingRoom.join(session.id, userId, roomOf(session), now);
      ctx.metrics.queueJoins.inc({ outcome: "joined" });
      return statusOf(session, userId, place, now);
    },
  );

  const userLimit = app.userLimit("queue");
  app.get(
    "/v1/sessions/:id/queue",
    {
      schema: schema("Your place in the session's waiting room"),
      // The per-user limit runs beside the place's read, not before it: a waiting buyer's poll
      // then costs one Redis round trip after the IP check instead of two. Reading a place
      // changes nothing (the admission cursor follows the clock), so a 429 still leaves all as it was.
      config: { auth: {}, rateClass: "queue", userLimitBy: "route" },
      serializerCompiler,
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const userId = request.principal!.sub;
      const answer = async () => {
        const session = await sessionOr404(ctx.sessions, request.params.id);
        if (!session.waitingRoom) return statusOf(session, userId, undefined, now);
        const place = await ctx.waitingRoom.status(session.id, userId, roomOf(session), now);
        if (!place) throw problems.notInQueue();
        return statusOf(session, userId, place, now);
      };
      // Both run to their end; a 429 comes first (an unknown session counts against the buyer too).
      const [limited, answered] = await Promise.allSettled([userLimit?.check(request, reply), answer()]);
      if (limited.status === "rejected") throw limited.reason;
      if (answered.status === "rejected") throw answered.reason;
      return answered.value;
    },
  );
};

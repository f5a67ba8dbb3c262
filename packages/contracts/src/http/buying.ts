import { z } from "zod";
import { Money } from "../money.ts";
import { Problem } from "../problem.ts";
import { MAX_SEATS_PER_HOLD_COMMAND } from "../seat-commands.ts";
import { AreaId, HoldStatus, SeatId } from "../seat-inventory.ts";

/**
 * HTTP bodies of the Buying endpoints (API.md): the gate validates requests and responses with
 * these, and builds its OpenAPI document from them.
 */

export const SessionIdParams = z.strictObject({ id: z.uuid() });
export const HoldIdParams = z.strictObject({ holdId: z.uuid() });
export const CommandIdParams = z.strictObject({ commandId: z.string().min(1).max(128) });

/** Printable ASCII, no spaces: what a client can safely put in a header and send again. */
const HeaderToken = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const ADMISSION_TOKEN_HEADER = "x-admission-token";
export const POW_CHALLENGE_HEADER = "x-pow-challenge";
export const POW_NONCE_HEADER = "x-pow-nonce";

/** Headers of `POST /v1/sessions/:id/holds`. */
export const HoldHeaders = z.object({
  [IDEMPOTENCY_KEY_HEADER]: HeaderToken,
  [ADMISSION_TOKEN_HEADER]: z.string().max(2048).optional(),
});

/** Headers of `POST /v1/sessions/:id/queue`: a solved proof-of-work challenge, when one was asked for. */
export const QueueJoinHeaders = z.object({
  [POW_CHALLENGE_HEADER]: z.string().max(512).optional(),
  [POW_NONCE_HEADER]: z.string().max(64).optional(),
});

/** `{seatIds}` (exactly these seats, all in one area) or `{areaId, quantity}` (best available). */
export const HoldRequest = z
  .strictObject({
    seatIds: z.array(SeatId).min(1).max(MAX_SEATS_PER_HOLD_COMMAND).optional(),
    areaId: AreaId.optional(),
    quantity: z.int().min(1).max(MAX_SEATS_PER_HOLD_COMMAND).optional(),
  })
  .superRefine((body, ctx) => {
    const explicit = body.seatIds !== undefined;
    const best = body.areaId !== undefined || body.quantity !== undefined;
    if (explicit === best) {
      ctx.addIssue({ code: "custom", path: [], message: "send either {seatIds} or {areaId, quantity}" });
      return;
    }
    if (best && body.areaId === undefined) ctx.addIssue({ code: "custom", path: ["areaId"], message: "required with quantity" });
    if (best && body.quantity === undefined) ctx.addIssue({ code: "custom", path: ["quantity"], message: "required with areaId" });
    if (body.seatIds && new Set(body.seatIds).size !== body.seatIds.length) {
      ctx.addIssue({ code: "custom", path: ["seatIds"], message: "seat ids must be distinct" });
    }
  });
export type HoldRequest = z.infer<typeof HoldRequest>;

export const PricedSeat = z.object({ id: SeatId, price: Money });
export type PricedSeat = z.infer<typeof PricedSeat>;

/** 201 of a hold: the order id is known at once (derived from the hold id). */
export const HoldCreated = z.object({
  holdId: z.uuid(),
  orderId: z.uuid(),
  sessionId: z.uuid(),
  areaId: AreaId,
  seats: z.array(PricedSeat),
  /** ISO 8601. */
  expiresAt: z.iso.datetime(),
});
export type HoldCreated = z.infer<typeof HoldCreated>;

/** 202: the actor has not answered in time; ask `GET /v1/commands/:commandId`. */
export const CommandAccepted = z.object({
  commandId: z.string(),
  status: z.literal("pending"),
});
export type CommandAccepted = z.infer<typeof CommandAccepted>;

/** `GET /v1/holds/:holdId`. A `held` hold past `expiresAt` is reported `expired`. */
export const HoldDetails = z.object({
  holdId: z.uuid(),
  orderId: z.uuid(),
  sessionId: z.uuid(),
  areaId: AreaId,
  status: HoldStatus,
  seats: z.array(PricedSeat),
  expiresAt: z.iso.datetime().optional(),
});
export type HoldDetails = z.infer<typeof HoldDetails>;

/** A problem body carried inside another answer (e.g. a command's result). */
export const ProblemBody = Problem.loose();

/** `GET /v1/commands/:commandId`: `result` is the answer the original request would have had. */
export const CommandStatus = z.object({
  commandId: z.string(),
  status: z.enum(["pending", "done"]),
  result: z
    .object({
      statusCode: z.int(),
      body: z.union([HoldCreated, ProblemBody]).optional(),
    })
    .optional(),
});
export type CommandStatus = z.infer<typeof CommandStatus>;

/** What a buyer sees of a seat: blocked seats show as `sold`, the buyer's own holds as `mine`. */
export const PublicSeatStatus = z.enum(["available", "held", "sold", "mine"]);
export type PublicSeatStatus = z.infer<typeof PublicSeatStatus>;

export const SeatMapView = z.object({
  sessionId: z.uuid(),
  /** Bumped by the seat engine on every change; compare with live `seats` deltas. */
  version: z.int().min(0),
  areas: z.array(
    z.object({
      id: AreaId,
      seats: z.array(z.object({ id: SeatId, status: PublicSeatStatus })),
    }),
  ),
});
export type SeatMapView = z.infer<typeof SeatMapView>;

/** One area's named seats as runs (`<row>-<number>` or `<row>-<first>~<last>`); see `seat-state-runs.ts`. */
const SeatRuns = z.array(z.string().max(160).regex(/^[A-Za-z0-9_]+-\d+(~\d+)?$/));

/**
 * `GET /v1/sessions/:id/seats?format=sparse`: only the seats that are not available, per area,
 * as runs; every seat of a listed area that is not named is available.
 */
export const SeatMapSparseView = z.object({
  sessionId: z.uuid(),
  version: z.int().min(0),
  format: z.literal("sparse-1"),
  areas: z.array(z.object({ id: AreaId, held: SeatRuns.optional(), sold: SeatRuns.optional(), mine: SeatRuns.optional() })),
});
export type SeatMapSparseView = z.infer<typeof SeatMapSparseView>;

/** `?format=sparse` asks for {@link SeatMapSparseView}; without it, one entry per seat ({@link SeatMapView}). */
export const SeatMapQuery = z.object({ format: z.enum(["full", "sparse"]).optional() });

/** The caller's place in a session's waiting room. */
export const QueueStatus = z.object({
  sessionId: z.uuid(),
  /** Whether the session has a waiting room at all (without one, everyone is admitted). */
  waitingRoom: z.boolean(),
  /** People ahead plus one (1 = next); 0 once admitted. Before the sale starts, with the start shuffle on, a provisional draw. */
  position: z.int().min(0),
  admitted: z.boolean(),
  /** Send as `X-Admission-Token` on holds. Short-lived: fetch the queue again for a fresh one. */
  admissionToken: z.string().optional(),
  admissionExpiresAt: z.iso.datetime().optional(),
  estimatedWaitSeconds: z.number().min(0).optional(),
  saleStartsAt: z.iso.datetime(),
});
export type QueueStatus = z.infer<typeof QueueStatus>;

/** The `challenge` field of a 428 on queue join: find a nonce so that sha256(token + ":" + nonce) has `difficulty` leading zero bits. */
export const PowChallenge = z.object({
  token: z.string(),
  difficulty: z.int().min(0).max(64),
  algorithm: z.literal("sha256-leading-zero-bits"),
  expiresAt: z.iso.datetime(),
});
export type PowChallenge = z.infer<typeof PowChallenge>;

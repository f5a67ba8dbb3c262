import {
  type HoldCreated,
  type HoldRejected,
  type HoldView,
  type Money,
  type SeatReply,
  orderIdForHold,
} from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import { problems } from "../problems.ts";

/** What a hold request answers: a new hold, or a coded problem. */
export type HoldAnswer = { ok: true; body: HoldCreated } | { ok: false; problem: HttpProblem };

export interface HoldContext {
  sessionId: string;
  areaId: string;
  holdId: string;
  prices: ReadonlyMap<string, Money>;
}

export const isoOf = (ms: number) => new Date(ms).toISOString();

export function pricedSeats(seatIds: readonly string[], areaId: string, prices: ReadonlyMap<string, Money>) {
  const price = prices.get(areaId) ?? { amount: "0.00", currency: "EUR" };
  return seatIds.map((id) => ({ id, price }));
}

function created(ctx: HoldContext, seatIds: readonly string[], expiresAt: number): HoldAnswer {
  return {
    ok: true,
    body: {
      holdId: ctx.holdId,
      orderId: orderIdForHold(ctx.holdId),
      sessionId: ctx.sessionId,
      areaId: ctx.areaId,
      seats: pricedSeats(seatIds, ctx.areaId, ctx.prices),
      expiresAt: isoOf(expiresAt),
    },
  };
}

function rejected(reason: HoldRejected["reason"], unavailable: readonly string[], limit?: string): HttpProblem {
  switch (reason) {
    case "unavailable":
      return problems.unavailable([...unavailable]);
    case "unknown_seats":
      return problems.unknownSeats([...unavailable]);
    case "limit_exceeded":
      return problems.limitExceeded(limit);
    case "not_on_sale":
      return problems.notOnSale("the seat engine has not loaded this area");
    case "invalid":
      return problems.invalidHold("empty or repeated seat ids");
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown hold reject reason ${String(unreachable)}`);
    }
  }
}

function fromView(ctx: HoldContext, view: HoldView): HoldAnswer {
  if (view.status === "held" && view.expiresAt !== undefined) return created(ctx, view.seatIds, view.expiresAt);
  if (view.status === "rejected") {
    return { ok: false, problem: rejected(view.reason ?? "unavailable", []) };
  }
  const problem =
    view.status === "sold"
      ? problems.holdSold()
      : new HttpProblem(409, "hold_ended", "Hold ended", `this request's hold is ${view.status}`, { holdStatus: view.status });
  return { ok: false, problem };
}

/** Reads the actor's answer to a HoldSeats / HoldBestAvailable command. */
export function holdAnswerOf(reply: SeatReply, ctx: HoldContext): HoldAnswer {
  for (const event of reply.events) {
    if (!("holdId" in event) || event.holdId !== ctx.holdId) continue;
    switch (event.type) {
      case "SeatsHeld":
        return created(ctx, event.seatIds, event.expiresAt);
      case "HoldRejected": {
        return { ok: false, problem: rejected(event.reason, event.unavailable, event.limit) };
      }
      case "HoldDuplicate":
        return fromView(ctx, event.hold);
      default:
        break;
    }
  }
  throw new Error(`command ${reply.commandId}: no hold outcome among ${reply.events.map((e) => e.type).join(", ")}`);
}

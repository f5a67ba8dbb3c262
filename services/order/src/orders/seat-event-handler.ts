import type { Bus, TraceContext } from "@rush/bus";
import { type SeatEvent, type SeatStreamMessage, type SeatsHeld, orderIdForHold } from "@rush/contracts";
import type { Db } from "@rush/db";
import type { Logger } from "@rush/service";
import { publishOrderStatus } from "./order-events.ts";
import { ORDER_SEAT_MESSAGES, targetOfSeatEvent } from "./order-state.ts";
import type { HoldFacts, OrderStore, Transition } from "./order-store.ts";
import { announceSale, sellMany } from "./sold-holds.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Holds placed outside the buying API (tests, benchmarks) have no user behind them. */
export const isBuyerId = (buyerId: string) => UUID.test(buyerId);

export interface SeatEventHandlerDeps {
  bus: Bus;
  orders: OrderStore;
  /** For a sale: its tickets and its order's move are the batch's one statement (`sellMany`). */
  sql: Db["sql"];
  logger: Logger;
  onDoubleSale?: (seatIds: string[]) => void;
  /** Whether a failure can never succeed (the message is then parked, not retried). */
  isPermanent: (error: unknown) => boolean;
  /** Gives back a hold whose order can never be created. */
  releaseOrphan: (event: SeatsHeld, trace: TraceContext) => Promise<void>;
  clock?: () => number;
}

/** The hold an event describes, when it is one an order follows. */
function factsOf(event: SeatEvent): HoldFacts | undefined {
  switch (event.type) {
    case "SeatsHeld":
      return { ...base(event), seatIds: event.seatIds, expiresAt: event.expiresAt };
    case "HoldExpired":
      return { ...base(event), seatIds: event.seatIds, expiresAt: event.expiresAt };
    case "HoldReleased":
    case "HoldRevoked":
    case "SeatsSold":
      return { ...base(event), seatIds: event.seatIds, expiresAt: event.at };
    default:
      return undefined;
  }
}

const base = (event: SeatEvent & { holdId: string; buyerId: string }) => ({
  orderId: orderIdForHold(event.holdId),
  holdId: event.holdId,
  buyerId: event.buyerId,
  sessionId: event.sessionId,
  areaId: event.areaId,
});

/**
 * Follows the seat engine: a granted hold opens its order, an ended hold expires it, a sale
 * issues its tickets and completes it. Every step is idempotent (redelivery, replays), and an
 * order is created from whichever of its hold's events comes first.
 */
export function createSeatEventHandler(deps: SeatEventHandlerDeps) {
  const { bus, orders } = deps;
  const clock = deps.clock ?? Date.now;

  const announce = async (transition: Transition, target: string, trace: TraceContext) => {
    // Published again on redelivery (deduplicated by msg-id): the first attempt may have failed after the commit.
    if (transition.changed || transition.order.status === target) await publishOrderStatus(bus, transition.order, transition.previous, trace);
  };

  const ensure = async (event: SeatEvent, facts: HoldFacts, trace: TraceContext) => {
    try {
      return await orders.ensure(facts);
    } catch (error) {
      // Released before the message is parked: if releasing fails, the message is retried instead.
      if (event.type === "SeatsHeld" && deps.isPermanent(error)) await deps.releaseOrphan(event, trace);
      throw error;
    }
  };

  return async function handle(message: SeatStreamMessage, trace: TraceContext): Promise<void> {
    if (ORDER_SEAT_MESSAGES[message.type] === "ignore" || message.type === "HoldRejectedBatch") return;
    const event = message;
    if (event.type === "HoldExtended") {
      await orders.extend(orderIdForHold(event.holdId), event.expiresAt);
      return;
    }
    const target = targetOfSeatEvent(event);
    const facts = factsOf(event);
    if (!target || !facts) return;
    // Holds placed outside the buying API (tests, benchmarks) have no user behind them.
    if (!isBuyerId(facts.buyerId)) return;
    const { order, created } = await ensure(event, facts, trace);
    if (target === "created") {
      if (created || order.status === "created") await publishOrderStatus(bus, order, null, trace);
      return;
    }
    if (event.type === "SeatsSold") {
      // The same statement as a batch's sales: the order was ensured just above, so it answers.
      const [outcome] = await sellMany(deps.sql, [{ orderId: order.id, seatIds: event.seatIds }], new Date(clock()));
      if (outcome) await announceSale(deps, outcome, event.holdId, trace);
      return;
    }
    const transition = await orders.moveTo(order.id, target);
    if (transition) await announce(transition, target, trace);
  };
}

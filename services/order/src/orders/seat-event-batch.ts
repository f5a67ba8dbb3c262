import type { BatchItem, Bus } from "@rush/bus";
import { type HoldExtended, type SeatStreamMessage, type SeatsHeld, type SeatsSold, orderIdForHold } from "@rush/contracts";
import type { Db } from "@rush/db";
import type { Logger } from "@rush/service";
import { extendMany } from "./extended-holds.ts";
import { publishOrderStatus } from "./order-events.ts";
import type { OrderStore } from "./order-store.ts";
import { ORDER_SEAT_MESSAGES } from "./order-state.ts";
import { isBuyerId } from "./seat-event-handler.ts";
import { announceSale, sellMany } from "./sold-holds.ts";

type Item = BatchItem<SeatStreamMessage>;

/** Openings and sales remembered as done ahead of their batch, at most (far more than max_ack_pending). */
const MAX_DONE_AHEAD = 50_000;

/** What a batch of seat events comes to: statements for many holds at once, then each remaining hold's events in order. */
export interface SeatEventPlan {
  /** Granted holds that begin their hold's events in this batch: opened in one statement. */
  opening: BatchItem<SeatsHeld>[];
  /** Extensions of holds whose other events here are at most a sale after them: one statement. */
  extensions: BatchItem<HoldExtended>[];
  /** Sales that end such holds' events here: one statement, after the extensions. */
  sales: BatchItem<SeatsSold>[];
  /** Every other event the order service follows, one lane per hold in stream order (events naming no hold share one lane). */
  lanes: Item[][];
}

/** A grant that opens an order: the first event of its hold, for a buyer an order can name. */
export const isOpening = (event: SeatStreamMessage): event is SeatsHeld => event.type === "SeatsHeld" && isBuyerId(event.buyerId);

/** A paid hold's sale, for a buyer an order can name. */
export const isBuyerSale = (event: SeatStreamMessage): event is SeatsSold => event.type === "SeatsSold" && isBuyerId(event.buyerId);

/** What the order service can do the moment it arrives, ahead of the batches before it (see `workAhead`). */
export const isWorkAhead = (event: SeatStreamMessage): boolean => isOpening(event) || isBuyerSale(event);

/** A hold's events that the batch statements can take: extensions, then at most one sale, last. */
const isPayLane = (lane: readonly Item[]) =>
  lane.every((item, i) => item.value.type === "HoldExtended" || (item.value.type === "SeatsSold" && i === lane.length - 1));

/**
 * Splits a batch by hold. Only a hold's own events depend on each other's order (its order is
 * opened, extended, sold, expired); two holds' events touch different orders, so they may be
 * handled side by side or in one statement. A granted hold that is the first of its hold's
 * events in the batch is opened with the others before anything else; a hold whose events are
 * a pay's (extensions, then the sale) is extended and sold with the others; the rest go in
 * lanes. What concerns no order (refusals, duplicates, inventory) is left out.
 */
export function planSeatEvents(items: readonly Item[]): SeatEventPlan {
  const opening: BatchItem<SeatsHeld>[] = [];
  const byHold = new Map<string, Item[]>();
  const noHold: Item[] = [];
  for (const item of items) {
    const event = item.value;
    if (ORDER_SEAT_MESSAGES[event.type] === "ignore") continue;
    if (!("holdId" in event)) {
      noHold.push(item);
      continue;
    }
    const lane = byHold.get(event.holdId);
    if (lane) lane.push(item);
    else if (isOpening(event)) {
      opening.push(item as BatchItem<SeatsHeld>);
      byHold.set(event.holdId, []);
    } else byHold.set(event.holdId, [item]);
  }
  const extensions: BatchItem<HoldExtended>[] = [];
  const sales: BatchItem<SeatsSold>[] = [];
  const lanes: Item[][] = [];
  for (const lane of byHold.values()) {
    if (lane.length === 0) continue;
    if (!isPayLane(lane)) {
      lanes.push(lane);
      continue;
    }
    for (const item of lane) {
      if (item.value.type === "SeatsSold") sales.push(item as BatchItem<SeatsSold>);
      else extensions.push(item as BatchItem<HoldExtended>);
    }
  }
  if (noHold.length > 0) lanes.push(noHold);
  return { opening, extensions, sales, lanes };
}

/** Runs every lane, at most `concurrency` at once; a lane stops at its first failure, the others go on; the first failure is thrown at the end. */
async function runLanes(lanes: readonly Item[][], concurrency: number, handleOne: (item: Item) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      try {
        for (const item of lane) await handleOne(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  if (failure) throw failure.error;
}

/**
 * Seat events in batches: the granted holds open their orders together (one statement of two
 * multi-row inserts, then their `order.created` events in flight together); the pays' events
 * (HoldExtended, SeatsSold) are one statement each for the whole batch, their events again in
 * flight together; every other event goes through `handleOne`, in stream order within its
 * hold, holds side by side.
 *
 * Why: every pay adds a HoldExtended and a SeatsSold, and one by one, one after another (a
 * SeatsSold is seven round trips: its order, the tickets, the order's move in a transaction,
 * its event) they kept every later grant's order waiting. On a 2,000-buyer run ~700 seat events
 * stood delivered and unacknowledged at the peak, each batch of 256 took ~4 s, and the pay route
 * waited 3.5 s on average for its order and gave up on 143 pays with 503 `order_pending`.
 */
export function createSeatEventBatchHandler(deps: {
  bus: Bus;
  orders: OrderStore;
  sql: Db["sql"];
  logger: Logger;
  handleOne: (message: SeatStreamMessage, item: Item) => Promise<void>;
  onDoubleSale?: (seatIds: string[]) => void;
  /** Holds whose events are handled at once. */
  concurrency: number;
  clock?: () => number;
}) {
  const { bus, orders, sql } = deps;
  const clock = deps.clock ?? Date.now;

  const openOrders = async (run: BatchItem<SeatsHeld>[]) => {
    const traces = new Map<string, BatchItem<SeatsHeld>["trace"]>();
    const facts = run.map(({ value: e, trace }) => {
      // A SHA-1 (UUIDv5) per hold: computed once, for the row and for the trace of its event.
      const orderId = orderIdForHold(e.holdId);
      traces.set(orderId, trace);
      return { orderId, holdId: e.holdId, buyerId: e.buyerId, sessionId: e.sessionId, areaId: e.areaId, seatIds: e.seatIds, expiresAt: e.expiresAt };
    });
    const opened = await orders.ensureMany(facts);
    // Published again for an order still `created` (redelivery): the first attempt may have failed after the commit.
    await Promise.all(
      opened.filter(({ order, created }) => created || order.status === "created").map(({ order }) => publishOrderStatus(bus, order, null, traces.get(order.id))),
    );
  };

  /** Extensions, then sales: a hold's sale comes after its extensions, as in the stream. */
  const settlePays = async (extensions: BatchItem<HoldExtended>[], sales: BatchItem<SeatsSold>[]) => {
    const buyers = <T extends { value: { buyerId: string } }>(items: T[]) => items.filter((item) => isBuyerId(item.value.buyerId));
    const extended = buyers(extensions);
    if (extended.length > 0) {
      await extendMany(sql, extended.map(({ value }) => ({ orderId: orderIdForHold(value.holdId), expiresAt: value.expiresAt })), new Date(clock()));
    }
    const sold = buyers(sales);
    if (sold.length === 0) return;
    const missing = await sellOpen(sold);
    // A sale whose order is not there yet (its grant's event not seen): opened from the sale, one by one.
    await Promise.all(missing.map((item) => deps.handleOne(item.value, item)));
  };

  /** Sells, in one statement, the sales whose orders are open, and announces them; the sales whose orders are not. */
  async function sellOpen(run: BatchItem<SeatsSold>[]): Promise<BatchItem<SeatsSold>[]> {
    const byOrder = new Map(run.map((item) => [orderIdForHold(item.value.holdId), item]));
    const outcomes = await sellMany(sql, [...byOrder].map(([orderId, item]) => ({ orderId, seatIds: item.value.seatIds })), new Date(clock()));
    await Promise.all(
      outcomes.map((outcome) => {
        const item = byOrder.get(outcome.order.id)!;
        byOrder.delete(outcome.order.id);
        return announceSale(deps, outcome, item.value.holdId, item.trace);
      }),
    );
    return [...byOrder.values()];
  }

  /** What was done ahead of a batch (`open:<holdId>`, `sell:<holdId>`): whether it was, once it has run. */
  const doneAhead = new Map<string, Promise<boolean>>();
  const remember = (key: string, done: Promise<boolean>) => {
    doneAhead.set(key, done);
    // A message whose batch never comes here (parked, or settled one by one) would stay: the
    // oldest go first. A batch that finds nothing does the work itself, which is idempotent.
    for (const oldest of doneAhead.keys()) {
      if (doneAhead.size <= MAX_DONE_AHEAD) break;
      doneAhead.delete(oldest);
    }
  };

  /** Sells ahead; the holds whose orders were there to sell (the others are left to their batch, which opens them from the sale). */
  const sellAhead = async (run: BatchItem<SeatsSold>[]): Promise<Set<string>> => {
    const missing = new Set((await sellOpen(run)).map((item) => item.value.holdId));
    return new Set(run.map((item) => item.value.holdId).filter((holdId) => !missing.has(holdId)));
  };

  /**
   * Opens the orders of holds granted a moment ago, then sells the holds paid a moment ago, ahead
   * of the batches queued before them (see `consumeBatches`' `ahead`). Under a flash sale those
   * batches carry pays (extensions, sales, tickets) and took seconds each: a pay waited all that
   * time for its order, and gave up with 503 `order_pending` after PAY_ORDER_WAIT_MS; a paid
   * buyer waited as long for tickets. Neither depends on what is queued before it: a grant is the
   * first event of its hold, and a sale only needs its order (its hold's extensions, queued
   * before it, never move a completed order). Each batch then finds the work done; what failed
   * here, or a sale whose order was not open yet, its batch does as before.
   */
  const workAhead = (items: Item[]): Promise<void> => {
    const openings = items.filter((item): item is BatchItem<SeatsHeld> => isOpening(item.value) && !doneAhead.has(`open:${item.value.holdId}`));
    const sales = items.filter((item): item is BatchItem<SeatsSold> => isBuyerSale(item.value) && !doneAhead.has(`sell:${item.value.holdId}`));
    if (openings.length + sales.length === 0) return Promise.resolve();
    const failures: unknown[] = [];
    const settled = <T>(work: Promise<T>, otherwise: T) =>
      work.catch((error: unknown) => {
        failures.push(error);
        return otherwise;
      });
    const opened = settled(openings.length > 0 ? openOrders(openings).then(() => true) : Promise.resolve(true), false);
    const sold = opened.then(() => settled(sales.length > 0 ? sellAhead(sales) : Promise.resolve(new Set<string>()), new Set<string>()));
    // Remembered before the first await: a batch that takes one of these waits for it.
    for (const item of openings) remember(`open:${item.value.holdId}`, opened);
    for (const item of sales) remember(`sell:${item.value.holdId}`, sold.then((holds) => holds.has(item.value.holdId)));
    return sold.then(() => {
      if (failures.length > 0) throw failures[0];
    });
  };

  /** A batch's items of one kind that were not done ahead (waiting for any still under way); forgets them. */
  const notDoneAhead = async <T extends Item>(kind: "open" | "sell", run: T[]): Promise<T[]> => {
    if (doneAhead.size === 0) return run;
    const left: T[] = [];
    for (const item of run) {
      const key = `${kind}:${(item.value as { holdId: string }).holdId}`;
      const done = doneAhead.get(key);
      doneAhead.delete(key);
      if (!done || !(await done)) left.push(item);
    }
    return left;
  };

  async function handleBatch(items: Item[]): Promise<void> {
    const plan = planSeatEvents(items);
    const { extensions, lanes } = plan;
    const opening = await notDoneAhead("open", plan.opening);
    const sales = await notDoneAhead("sell", plan.sales);
    // A sale in a lane of its own is handled there again, in its hold's order (idempotent).
    if (doneAhead.size > 0) {
      for (const item of lanes.flat()) if (item.value.type === "SeatsSold") doneAhead.delete(`sell:${item.value.holdId}`);
    }
    if (opening.length > 0) await openOrders(opening);
    // Both run to their end before a failure is thrown: the batch is then settled message by message.
    const [lanesDone, paysDone] = await Promise.allSettled([
      runLanes(lanes, deps.concurrency, (item) => deps.handleOne(item.value, item)),
      extensions.length + sales.length > 0 ? settlePays(extensions, sales) : Promise.resolve(),
    ]);
    if (lanesDone.status === "rejected") throw lanesDone.reason;
    if (paysDone.status === "rejected") throw paysDone.reason;
  }

  return { handleBatch, workAhead };
}

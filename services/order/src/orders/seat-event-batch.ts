import type { BatchItem, Bus } from "@rush/bus";
import { type SeatStreamMessage, type SeatsHeld, orderIdForHold } from "@rush/contracts";
import { publishOrderStatus } from "./order-events.ts";
import type { OrderStore } from "./order-store.ts";
import { isBuyerId } from "./seat-event-handler.ts";

/**
 * Seat events in batches: consecutive granted holds open their orders together (one
 * transaction of two multi-row inserts, then their `order.created` events in flight together);
 * every other event goes through `handleOne`, in stream order. A flash sale is mostly
 * SeatsHeld, so the order service keeps up with the engine instead of trailing it by seconds
 * (which is what made an immediate pay miss its order).
 */
export function createSeatEventBatchHandler(deps: { bus: Bus; orders: OrderStore; handleOne: (message: SeatStreamMessage, item: BatchItem<SeatStreamMessage>) => Promise<void> }) {
  const { bus, orders } = deps;

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

  return async function handleBatch(items: BatchItem<SeatStreamMessage>[]): Promise<void> {
    let run: BatchItem<SeatsHeld>[] = [];
    for (const item of items) {
      const event = item.value;
      if (event.type === "SeatsHeld" && isBuyerId(event.buyerId)) {
        run.push(item as BatchItem<SeatsHeld>);
        continue;
      }
      if (run.length > 0) await openOrders(run);
      run = [];
      await deps.handleOne(event, item);
    }
    if (run.length > 0) await openOrders(run);
  };
}

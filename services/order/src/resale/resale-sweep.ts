import { type Logger, runEvery } from "@rush/service";
import type { OrderRow } from "../orders/order-store.ts";
import type { ResaleStore } from "./resale-store.ts";

/**
 * A buyer who takes a listing and never pays: the listing is on offer again as soon as the
 * order's window is over (by time alone, see `offers`); this pass only tells the order so
 * (`expired`, with its event) for the buyer's order list.
 */
export function startResaleSweep(deps: { resale: ResaleStore; everyMs: number; onExpired: (order: OrderRow) => Promise<void>; logger: Logger; clock: () => number }) {
  return runEvery(
    deps.everyMs,
    async () => {
      for (const order of await deps.resale.expireAbandoned(new Date(deps.clock()))) await deps.onExpired(order);
    },
    (error) => deps.logger.warn({ err: error }, "resale sweep failed; will retry"),
  );
}

import type { Bus } from "@rush/bus";
import { RESALE_CONFIRM_SUBJECT, type ResaleConfirmReply, ResaleConfirmRequest } from "@rush/contracts";
import type { Logger } from "@rush/service";
import { publishOrderStatus } from "../orders/order-events.ts";
import { publishTicketResold } from "./resale-events.ts";
import type { ResaleStore } from "./resale-store.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Every order service instance answers; one of them gets each request. */
const QUEUE = "order-resale-confirm";

/**
 * Answers the payment service's `resale.confirm` requests: a paid resale order is sold (one
 * transaction, see `ResaleStore.confirm`) or rejected (the payment service refunds it). The
 * events go out before the answer, so a crash in between is mended by the payment service asking
 * again (a sold listing answers `sold` again and republishes under the same msg-ids).
 */
export function answerResaleConfirms(deps: { bus: Bus; resale: ResaleStore; logger: Logger; clock: () => number }) {
  const { bus, resale, logger } = deps;
  const sub = bus.nc.subscribe(RESALE_CONFIRM_SUBJECT, {
    queue: QUEUE,
    callback: (error, msg) => {
      if (error) return logger.warn({ err: error }, "resale confirm subscription failed");
      void (async () => {
        let reply: ResaleConfirmReply;
        try {
          const request = ResaleConfirmRequest.parse(JSON.parse(decoder.decode(msg.data)));
          const outcome = await resale.confirm(request.orderId, new Date(deps.clock()));
          if (outcome.outcome === "sold") {
            await publishOrderStatus(bus, outcome.order, outcome.previous);
            await publishTicketResold(bus, outcome.listing, outcome.order);
            if (outcome.fresh) logger.info({ orderId: request.orderId, listingId: outcome.listing.id }, "ticket resold");
            reply = { outcome: "sold", listingId: outcome.listing.id, newTicketId: outcome.listing.newTicketId! };
          } else {
            reply = outcome;
          }
        } catch (err) {
          // No answer: the payment service's confirm times out and is asked again by its reconciler.
          logger.warn({ err }, "resale confirm failed; the payment service will ask again");
          return;
        }
        msg.respond(encoder.encode(JSON.stringify(reply)));
      })();
    },
  });
  return { stop: async () => sub.drain() };
}

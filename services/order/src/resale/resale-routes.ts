import {
  BuyListingRequest,
  BuyListingResponse,
  ListingIdParams,
  ListingList,
  ListingView,
  ListTicketRequest,
  OfferList,
  SessionIdParams,
  TicketIdParams,
} from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { normalizeAmount } from "../orders/money.ts";
import type { OrderRow } from "../orders/order-store.ts";
import type { ListingRefusal } from "./resale-rules.ts";
import type { ListingRow, ResaleStore } from "./resale-store.ts";

export interface ResaleRoutesOptions {
  resale: ResaleStore;
  clock: () => number;
  /** Told of an order that expired because its listing went elsewhere (its `order.expired` event). */
  onExpired: (order: OrderRow) => Promise<void>;
}

const priceOf = (l: ListingRow) => ({ amount: normalizeAmount(l.amount), currency: l.currency });

export const listingView = (l: ListingRow, now: number): ListingView => ({
  id: l.id,
  ticketId: l.ticketId,
  sessionId: l.sessionId,
  seatId: l.seatId,
  price: priceOf(l),
  status: l.status,
  reserved: l.status === "listed" && (l.reservedUntil?.getTime() ?? 0) > now,
  ...(l.payoutStatus ? { payoutStatus: l.payoutStatus } : {}),
  createdAt: l.createdAt.toISOString(),
  ...(l.soldAt ? { soldAt: l.soldAt.toISOString() } : {}),
});

const REFUSALS: Record<Exclude<ListingRefusal, "not_found">, string> = {
  ticket_used: "the ticket was already checked in",
  ticket_void: "the ticket is void (refunded or resold)",
  ticket_transferred: "a ticket received by transfer cannot be resold: its face value would go back to the card of whoever paid for it",
  order_not_completed: "the order behind the ticket is not completed (a refund may be under way)",
  session_closed: "the session has started, is cancelled or is not on sale",
  already_listed: "the ticket is already listed",
};

/**
 * Resale at face value: the holder lists (and withdraws) a ticket, buyers see a session's
 * offers and buy one, getting a resale order to pay with `POST /v1/orders/:orderId/pay`.
 */
export const resaleRoutes: FastifyPluginAsyncZod<ResaleRoutesOptions> = async (app, { resale, clock, onExpired }) => {
  const announce = async (order: OrderRow | undefined, log: { warn: (o: object, m: string) => void }) => {
    if (order) await onExpired(order).catch((err: unknown) => log.warn({ err, orderId: order.id }, "expired resale order not announced"));
  };

  app.post(
    "/v1/tickets/:id/resale",
    { config: { auth: {} }, schema: { params: TicketIdParams, body: ListTicketRequest.nullish(), response: { 201: ListingView } } },
    async (request, reply) => {
      const now = clock();
      const result = await resale.list(request.params.id, request.principal!.sub, new Date(now));
      if (result.outcome === "listed") {
        request.log.info({ ticketId: request.params.id, listingId: result.listing.id }, "ticket listed for resale");
        return reply.code(201).send(listingView(result.listing, now));
      }
      if (result.reason === "not_found") throw new HttpProblem(404, "not_found", "Not Found", `no ticket ${request.params.id} of yours`);
      throw new HttpProblem(409, result.reason === "already_listed" ? "already_listed" : "ticket_not_listable", "Ticket not listable", REFUSALS[result.reason], {
        reason: result.reason,
      });
    },
  );

  app.delete("/v1/tickets/:id/resale", { config: { auth: {} }, schema: { params: TicketIdParams } }, async (request, reply) => {
    const result = await resale.withdraw(request.params.id, request.principal!.sub, new Date(clock()));
    if (result.outcome === "refused") {
      if (result.reason === "not_listed") throw new HttpProblem(404, "not_found", "Not Found", `no live listing of ticket ${request.params.id} of yours`);
      throw new HttpProblem(409, "listing_reserved", "Listing reserved", "a buyer is paying for this listing right now; try again once their window is over");
    }
    await announce(result.abandoned, request.log);
    return reply.code(204).send();
  });

  app.get("/v1/sessions/:id/resale", { schema: { params: SessionIdParams, response: { 200: OfferList } } }, async (request) => {
    const rows = await resale.offers(request.params.id, new Date(clock()));
    return { items: rows.map((l) => ({ id: l.id, sessionId: l.sessionId, seatId: l.seatId, price: priceOf(l) })) };
  });

  app.get("/v1/me/resale", { config: { auth: {} }, schema: { response: { 200: ListingList } } }, async (request) => {
    const now = clock();
    return { items: (await resale.bySeller(request.principal!.sub)).map((l) => listingView(l, now)) };
  });

  app.post(
    "/v1/resale/:listingId/buy",
    { config: { auth: {} }, schema: { params: ListingIdParams, body: BuyListingRequest.nullish(), response: { 200: BuyListingResponse, 201: BuyListingResponse } } },
    async (request, reply) => {
      const { listingId } = request.params;
      const result = await resale.buy(listingId, request.principal!.sub, new Date(clock()));
      switch (result.outcome) {
        case "reserved":
        case "mine": {
          if (result.outcome === "reserved") await announce(result.abandoned, request.log);
          const { order, listing } = result;
          const body = {
            orderId: order.id,
            listingId: listing.id,
            sessionId: listing.sessionId,
            seatId: listing.seatId,
            price: priceOf(listing),
            expiresAt: order.expiresAt.toISOString(),
          };
          // A repeated buy of a listing this buyer already holds answers the same order.
          return reply.code(result.outcome === "reserved" ? 201 : 200).send(body);
        }
        case "refused":
          switch (result.reason) {
            case "not_found":
            case "gone":
              throw new HttpProblem(404, "listing_not_found", "Not Found", `listing ${listingId} is not on offer (sold, withdrawn or unknown)`);
            case "taken":
              throw new HttpProblem(409, "listing_taken", "Listing taken", "another buyer is paying for this ticket; it comes back if they do not pay in time");
            case "own_listing":
              throw new HttpProblem(409, "own_listing", "Own listing", "this is your own ticket: withdraw the listing instead");
            case "session_closed":
              throw new HttpProblem(409, "session_closed", "Session closed", "the session has started or is cancelled");
            default: {
              const unreachable: never = result.reason;
              throw new Error(`unknown refusal ${String(unreachable)}`);
            }
          }
        default: {
          const unreachable: never = result;
          throw new Error(`unknown buy outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },
  );
};

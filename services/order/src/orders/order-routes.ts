import { OrderIdParams, OrderList, OrderView, OrderListQuery, ResourceIdParams } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { OrderCursor, OrderStore } from "./order-store.ts";

const Cursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

const encodeCursor = (cursor: OrderCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(text: string): OrderCursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new HttpProblem(400, "validation", "Invalid request", "the cursor is not one this API gave out", {
      errors: [{ path: "querystring.cursor", message: "unknown cursor" }],
    });
  }
}

const notFound = (orderId: string) => new HttpProblem(404, "not_found", "Not Found", `no order ${orderId}`);

/** A buyer's orders. Someone else's order is answered like a missing one (404): ids are not probed. */
export const orderRoutes: FastifyPluginAsyncZod<{ orders: OrderStore }> = async (app, { orders }) => {
  app.get(
    "/v1/orders/:orderId",
    { config: { auth: {} }, schema: { params: OrderIdParams, response: { 200: OrderView } } },
    async (request) => {
      const principal = request.principal!;
      const order = await orders.find(request.params.orderId);
      if (!order || (order.buyerId !== principal.sub && !principal.roles.includes("admin"))) throw notFound(request.params.orderId);
      const [view] = await orders.view([order]);
      return view!;
    },
  );

  app.get(
    "/v1/me/orders",
    { config: { auth: {} }, schema: { querystring: OrderListQuery, response: { 200: OrderList } } },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await orders.listByBuyer(request.principal!.sub, limit + 1, cursor ? decodeCursor(cursor) : undefined);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: await orders.view(page),
        nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
      };
    },
  );

  app.get(
    "/v1/sessions/:id/orders",
    { config: { auth: { roles: ["organizer", "admin"] } }, schema: { params: ResourceIdParams, response: { 200: OrderList } } },
    async (request) => {
      const principal = request.principal!;
      const owner = await orders.sessionOwner(request.params.id);
      if (!owner) throw new HttpProblem(404, "session_not_found", "Not Found", `no session ${request.params.id}`);
      if (owner !== principal.sub && !principal.roles.includes("admin")) throw new HttpProblem(403, "not_owner", "Forbidden", "this session belongs to another organizer");
      // The latest 200: enough for the refund buttons of a console; exports are another matter.
      return { items: await orders.view(await orders.listPaidBySession(request.params.id, 200)), nextCursor: null };
    },
  );
};

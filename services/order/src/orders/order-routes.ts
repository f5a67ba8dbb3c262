import { OrderIdParams, OrderList, OrderListQuery, OrderView } from "@rush/contracts";
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
};

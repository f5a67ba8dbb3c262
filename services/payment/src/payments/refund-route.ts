import { OrderIdParams, RefundRequest, RefundResponse } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { PaymentStore } from "./payment-store.ts";
import type { Settled, Settlement } from "./settlement.ts";

export interface RefundRouteOptions {
  store: PaymentStore;
  settlement: Settlement;
}

const notFound = (orderId: string) => new HttpProblem(404, "not_found", "Not Found", `no order ${orderId}`);

const notRefundable = (detail: string, orderStatus: string) =>
  new HttpProblem(409, "order_not_refundable", "Order not refundable", detail, { orderStatus });

/** The answer for where a refund stands: 200 once the money is back, 202 while it is on its way. */
function answer(settled: Settled) {
  const { payment } = settled;
  return {
    code: payment.status === "refunded" ? 200 : 202,
    body: {
      orderId: payment.orderId,
      status: settled.status,
      paymentId: payment.id,
      paymentStatus: payment.status,
      ...(payment.reason ? { reason: payment.reason } : {}),
      ...(payment.lastError ? { error: payment.lastError } : {}),
    },
  } as const;
}

/**
 * `POST /v1/orders/:orderId/refund`: the organizer of the order's event (or an admin) refunds a
 * completed order. The state check is the idempotency: only a settled payment moves to
 * `refund_pending`, atomically, so a second click or a retried `Idempotency-Key` finds the
 * refund already under way and is told where it stands (and the provider key `refund:<paymentId>`
 * makes a provider retry harmless).
 */
export const refundRoute: FastifyPluginAsyncZod<RefundRouteOptions> = async (app, { store, settlement }) => {
  app.post(
    "/v1/orders/:orderId/refund",
    {
      config: { auth: { roles: ["organizer", "admin"] } },
      schema: { params: OrderIdParams, body: RefundRequest.optional(), response: { 200: RefundResponse, 202: RefundResponse } },
    },
    async (request, reply) => {
      const { orderId } = request.params;
      const principal = request.principal!;
      const order = await store.order(orderId);
      if (!order) throw notFound(orderId);
      if (!principal.roles.includes("admin") && (await store.sessionOwner(order.sessionId)) !== principal.sub) {
        throw new HttpProblem(403, "not_owner", "Forbidden", "this order belongs to another organizer's event");
      }
      const payment = await store.findByOrder(orderId);
      const underWay = payment && ["refund_pending", "refund_failed", "refunded"].includes(payment.status);
      if (!payment || (!underWay && (order.status !== "completed" || payment.status !== "succeeded" || !payment.settledAt))) {
        throw notRefundable(`only a completed order can be refunded; this one is ${order.status}`, order.status);
      }
      const key = request.headers["idempotency-key"];
      let settled: Settled;
      try {
        settled = await settlement.requestRefund(payment, "organizer_refund", {
          requestedBy: principal.sub,
          ...(typeof key === "string" ? { idempotencyKey: key.slice(0, 128) } : {}),
          ...(request.body?.note ? { note: request.body.note } : {}),
        });
      } catch (error) {
        // The provider failed: the refund is recorded as refund_failed and the reconciler retries it.
        request.log.warn({ orderId, err: error }, "refund not finished now; it is retried");
        const current = (await store.find(payment.id)) ?? payment;
        settled = { status: current.status === "refund_failed" ? "refund_failed" : "refund_pending", payment: current };
      }
      const { code, body } = answer(settled);
      return reply.code(code).send(body);
    },
  );
};

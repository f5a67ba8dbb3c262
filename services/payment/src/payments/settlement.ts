import type { Bus, SeatCommandClient } from "@rush/bus";
import type { OrderStatus, PaymentProviderName, PaymentStatus } from "@rush/contracts";
import type { Logger } from "@rush/service";
import type { PaymentProvider } from "../providers/provider.ts";
import { decimal2, publishPaymentStatus } from "./payment-events.ts";
import type { OrderRow, PaymentRow, PaymentStore } from "./payment-store.ts";

/** Where a payment left its order, as the pay answer reports it. */
export interface Settled {
  status: OrderStatus;
  payment: PaymentRow;
  reason?: string;
}

export interface SettlementDeps {
  bus: Bus;
  store: PaymentStore;
  seats: SeatCommandClient;
  providers: Partial<Record<PaymentProviderName, PaymentProvider>>;
  logger: Logger;
  confirmTimeoutMs: number;
  clock: () => number;
}

/**
 * What happens once a provider has spoken. Money taken → `ConfirmHold` through the seat actor,
 * the one place that decides: sold → the order completes (the order service issues tickets on
 * `SeatsSold`); rejected (the hold is gone) → refund. Declined → the hold is released at once,
 * so the seats are on sale again. Each step is idempotent, so the reconciler can run it again.
 */
export function createSettlement(deps: SettlementDeps) {
  const { store, bus, seats, logger } = deps;
  // One confirm per payment at a time in this process (the seat client refuses a command id twice in flight).
  const running = new Map<string, Promise<Settled>>();

  const orderOf = async (payment: PaymentRow): Promise<OrderRow> => {
    const order = await store.order(payment.orderId);
    if (!order) throw new Error(`payment ${payment.id}: order ${payment.orderId} is gone`);
    return order;
  };

  const moved = async (payment: PaymentRow | undefined, order: OrderRow) => {
    if (payment) await publishPaymentStatus(bus, payment, order);
    return payment;
  };

  const provider = (payment: PaymentRow) => {
    const p = deps.providers[payment.provider];
    if (!p) throw new Error(`payment ${payment.id}: provider ${payment.provider} is not configured`);
    return p;
  };

  async function refund(payment: PaymentRow, order: OrderRow, reason: string): Promise<Settled> {
    let current =
      (await moved(await store.move(payment.id, ["succeeded"], "refund_pending", { reason }), order)) ?? (await store.find(payment.id))!;
    if (current.status === "refund_pending") {
      const result = await provider(current).refund({
        paymentId: current.id,
        providerRef: current.providerRef ?? "",
        amount: { amount: decimal2(current.amount), currency: current.currency },
        idempotencyKey: `refund:${current.id}`,
      });
      if (result.status === "refunded") {
        current = (await moved(await store.move(current.id, ["refund_pending"], "refunded", { reason }), order)) ?? current;
      }
    }
    logger.info({ paymentId: current.id, orderId: order.id, reason, status: current.status }, "payment refunded: the hold was gone");
    return { status: current.status === "refunded" ? "refunded" : "payment_pending", payment: current, reason };
  }

  async function confirm(payment: PaymentRow): Promise<Settled> {
    const order = await orderOf(payment);
    const outcome = await seats.send(
      {
        type: "ConfirmHold",
        commandId: `confirm:${payment.id}`,
        sessionId: order.sessionId,
        areaId: order.areaId,
        holdId: order.holdId,
        paymentId: payment.id,
        now: deps.clock(),
      },
      { timeoutMs: deps.confirmTimeoutMs },
    );
    // No answer yet: the command is in the log; the reconciler asks again.
    if (outcome.status === "pending") return { status: "payment_pending", payment };
    for (const event of outcome.reply.events) {
      if (event.type === "SeatsSold" || (event.type === "HoldDuplicate" && event.hold.status === "sold" && event.hold.paymentId === payment.id)) {
        await store.settle(payment.id, { seats: "sold" });
        return { status: "completed", payment };
      }
      if (event.type === "ConfirmRejected") {
        await store.settle(payment.id, { seats: "rejected", reason: event.reason });
        return refund(payment, order, `hold_${event.reason}`);
      }
    }
    throw new Error(`confirm of payment ${payment.id}: no outcome among ${outcome.reply.events.map((e) => e.type).join(", ")}`);
  }

  return {
    /** The provider took the money: record it, then let the seat actor decide. */
    async succeeded(payment: PaymentRow, from: readonly PaymentStatus[] = ["pending"]): Promise<Settled> {
      const order = await orderOf(payment);
      const captured = await moved(await store.move(payment.id, from, "succeeded"), order);
      return this.settle(captured ?? payment);
    },

    /** Captured but not settled (or a refund to finish): runs the rest, once at a time per payment. */
    settle(payment: PaymentRow): Promise<Settled> {
      const inFlight = running.get(payment.id);
      if (inFlight) return inFlight;
      const work = (async (): Promise<Settled> => {
        const current = (await store.find(payment.id)) ?? payment;
        switch (current.status) {
          case "refund_pending":
            return refund(current, await orderOf(current), current.reason ?? "hold_gone");
          case "refunded":
            return { status: "refunded", payment: current, ...(current.reason ? { reason: current.reason } : {}) };
          case "failed":
            return { status: "failed", payment: current, ...(current.reason ? { reason: current.reason } : {}) };
          case "succeeded":
            return current.settledAt ? { status: "completed", payment: current } : confirm(current);
          case "created":
          case "pending":
            return { status: "payment_pending", payment: current };
          default: {
            const unreachable: never = current.status;
            throw new Error(`unknown payment status ${String(unreachable)}`);
          }
        }
      })().finally(() => running.delete(payment.id));
      running.set(payment.id, work);
      return work;
    },

    /** The provider declined: the payment fails, and the hold goes back so the seats sell again. */
    async declined(payment: PaymentRow, reason: string): Promise<Settled> {
      const order = await orderOf(payment);
      const failed = await moved(await store.move(payment.id, ["created", "pending"], "failed", { reason }), order);
      if (failed) {
        const released = await seats.send(
          {
            type: "ReleaseHold",
            commandId: `release:${payment.id}`,
            sessionId: order.sessionId,
            areaId: order.areaId,
            holdId: order.holdId,
            buyerId: order.buyerId,
            now: deps.clock(),
          },
          { timeoutMs: deps.confirmTimeoutMs },
        );
        if (released.status === "pending") logger.warn({ paymentId: payment.id }, "hold release not answered yet; it is in the log");
      }
      return { status: "failed", payment: failed ?? (await store.find(payment.id)) ?? payment, reason };
    },
  };
}

export type Settlement = ReturnType<typeof createSettlement>;

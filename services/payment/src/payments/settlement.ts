import { randomUUID } from "node:crypto";
import type { Bus, SeatCommandClient } from "@rush/bus";
import type { OrderStatus, PaymentProviderName, PaymentStatus } from "@rush/contracts";
import type { Logger } from "@rush/service";
import type { PaymentProvider, ProviderOutcome } from "../providers/provider.ts";
import type { Payouts } from "../resale/payouts.ts";
import { hasResales, refundShare } from "../resale/refund-share.ts";
import type { ResaleConfirmer } from "../resale/resale-confirm-client.ts";
import type { ResalePaymentStore } from "../resale/resale-payment-store.ts";
import { decimal2, publishPaymentStatus } from "./payment-events.ts";
import type { OrderRow, PaymentRow, PaymentStore } from "./payment-store.ts";

/** Why an organizer or admin gives a completed order's money back (not a compensation). */
export type RefundRequestReason = "organizer_refund" | "session_cancelled";
const REQUESTED: ReadonlySet<string> = new Set<RefundRequestReason>(["organizer_refund", "session_cancelled"]);

/** A refund someone asked for (the order was completed), as opposed to money returned for seats never sold. */
export const isRequestedRefund = (payment: Pick<PaymentRow, "reason">): boolean => payment.reason !== null && REQUESTED.has(payment.reason);

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300) || "provider error";

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
  /** How far a payment stretches its hold: an open payment is abandoned only once its hold is surely over. */
  holdExtensionMs: number;
  clock: () => number;
  /** Resale orders: their listing's reservation and the sellers' payouts. */
  resale: ResalePaymentStore;
  confirmResale: ResaleConfirmer;
  payouts: Payouts;
  /** Times the seat engine's confirm (metrics): the part of a settlement that is not this service's own work. */
  timed?: <T>(step: "confirm", work: Promise<T>) => Promise<T>;
}

/**
 * What happens once a provider has spoken. Money taken → `ConfirmHold` through the seat actor,
 * the one place that decides: sold → the order completes (the order service issues tickets on
 * `SeatsSold`); rejected (the hold is gone) → refund. Declined → the provider payment is
 * cancelled (so it can never take money later) and the hold released, so the seats sell again;
 * money that still arrives for a failed payment is refunded. Each step is idempotent, so the
 * reconciler can run it again.
 */
export function createSettlement(deps: SettlementDeps) {
  const { store, bus, seats, logger } = deps;
  const timed = deps.timed ?? (<T>(_step: "confirm", work: Promise<T>) => work);
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

  const settledOf = (payment: PaymentRow): Settled => {
    const reason = payment.reason ? { reason: payment.reason } : {};
    switch (payment.status) {
      case "refunded":
      case "failed":
        return { status: payment.status, payment, ...reason };
      case "succeeded":
        return { status: payment.settledAt ? "completed" : "payment_pending", payment };
      case "refund_pending":
      case "refund_failed":
        // A completed order being refunded says so; compensation of seats never sold keeps its order where it is.
        if (isRequestedRefund(payment)) return { status: payment.status, payment, ...reason };
        return { status: "payment_pending", payment, ...reason };
      case "created":
      case "pending":
        return { status: "payment_pending", payment, ...reason };
      default: {
        const unreachable: never = payment.status;
        throw new Error(`unknown payment status ${String(unreachable)}`);
      }
    }
  };

  /**
   * An organizer's refund gives the seats back through the seat actor before the money: sent on
   * every attempt (the engine ignores a hold no longer sold), so a crash after the request can
   * never keep them off sale. A cancelled session's seats were given back by its `CancelArea`.
   */
  async function releaseSeats(payment: PaymentRow, order: OrderRow): Promise<void> {
    if (payment.reason !== "organizer_refund") return;
    // A resale order has no hold of its own, and a hold one of whose seats was resold must not be
    // given back: the resale's buyer holds a valid ticket for that seat. Those seats stay sold.
    if (order.kind === "resale" || (await hasResales(deps.resale, order.id))) return;
    const outcome = await seats.send(
      {
        type: "RefundHold",
        // Unique per attempt: a repeated msg-id would be dropped by JetStream and its reply never come.
        commandId: `refund-seats:${payment.id}:${randomUUID()}`,
        sessionId: order.sessionId,
        areaId: order.areaId,
        holdId: order.holdId,
        now: deps.clock(),
      },
      { timeoutMs: deps.confirmTimeoutMs },
    );
    if (outcome.status === "pending") logger.warn({ paymentId: payment.id }, "seat release of a refund not answered yet; it is in the log");
  }

  /**
   * A payment in `refund_pending` or `refund_failed`: asks the provider for the money back
   * (idempotent by key, one key per payment: a refund can never be paid twice). A provider that
   * fails leaves it `refund_failed` with the error, and the reconciler tries again with backoff.
   */
  async function refund(payment: PaymentRow, order: OrderRow): Promise<Settled> {
    let current = payment;
    await releaseSeats(current, order);
    // Tickets of this order resold at face value were paid back to it already (each its own payout).
    const share = await refundShare(deps.resale, order.id, current.amount);
    let result: Awaited<ReturnType<PaymentProvider["refund"]>>;
    try {
      result = !share
        ? { status: "refunded" }
        : await provider(current).refund({
            paymentId: current.id,
            providerRef: current.providerRef ?? "",
            amount: { amount: share, currency: current.currency },
            idempotencyKey: `refund:${current.id}`,
          });
    } catch (error) {
      const lastError = errorText(error);
      await moved(await store.move(current.id, ["refund_pending", "refund_failed"], "refund_failed", { lastError, detail: { error: lastError } }), order);
      logger.warn({ paymentId: current.id, orderId: order.id, err: error }, "refund failed at the provider; it will be retried");
      throw error;
    }
    if (result.status === "refunded") {
      current = (await moved(await store.move(current.id, ["refund_pending", "refund_failed"], "refunded", { lastError: null }), order)) ?? current;
    }
    logger.info({ paymentId: current.id, orderId: order.id, reason: current.reason, status: current.status }, "payment refunded");
    return settledOf(current);
  }

  /**
   * Money taken that buys nothing (the seats were refused, or it arrived for a failed payment):
   * marked settled and `refund_pending` in one step, so no crash can leave it kept; the refund follows.
   */
  async function owed(payment: PaymentRow, order: OrderRow, from: readonly PaymentStatus[], reason: string, detail: Record<string, unknown>) {
    return (await moved(await store.move(payment.id, from, "refund_pending", { reason, settle: true, detail }), order)) ?? (await store.find(payment.id))!;
  }

  /** A resale order's money was taken: the order service sells the listing, or the money goes back. */
  async function confirmResale(payment: PaymentRow, order: OrderRow): Promise<Settled> {
    const answer = await deps.confirmResale(order.id, payment.id, deps.confirmTimeoutMs);
    if (!answer) return { status: "payment_pending", payment };
    if (answer.outcome === "sold") {
      await store.settle(payment.id, { resale: "sold", listingId: answer.listingId });
      await deps.payouts.payNow(answer.listingId);
      return { status: "completed", payment };
    }
    const current = await owed(payment, order, ["succeeded"], answer.reason, { resale: "rejected" });
    return current.status === "refund_pending" ? refund(current, order) : settledOf(current);
  }

  async function confirm(payment: PaymentRow, known?: OrderRow): Promise<Settled> {
    const order = known ?? (await orderOf(payment));
    if (order.kind === "resale") return confirmResale(payment, order);
    const outcome = await timed("confirm", seats.send(
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
    ));
    // No answer yet: the command is in the log; the reconciler asks again.
    if (outcome.status === "pending") return { status: "payment_pending", payment };
    for (const event of outcome.reply.events) {
      if (event.type === "SeatsSold" || (event.type === "HoldDuplicate" && event.hold.status === "sold" && event.hold.paymentId === payment.id)) {
        await store.settle(payment.id, { seats: "sold" });
        return { status: "completed", payment };
      }
      if (event.type === "ConfirmRejected") {
        const current = await owed(payment, order, ["succeeded"], `hold_${event.reason}`, { seats: "rejected" });
        return current.status === "refund_pending" ? refund(current, order) : settledOf(current);
      }
    }
    throw new Error(`confirm of payment ${payment.id}: no outcome among ${outcome.reply.events.map((e) => e.type).join(", ")}`);
  }

  /** Stops the provider payment from ever taking money; `undefined` when the provider could not be asked. */
  async function cancelAtProvider(payment: PaymentRow): Promise<ProviderOutcome | undefined> {
    if (!payment.providerRef) return { status: "failed", reason: "never_opened" };
    try {
      return await provider(payment).cancel({ paymentId: payment.id, providerRef: payment.providerRef, idempotencyKey: `cancel:${payment.id}` });
    } catch (error) {
      // Failing the payment anyway is safe: a success that still arrives for it is refunded.
      logger.warn({ paymentId: payment.id, err: error }, "provider cancel failed; a late success will be refunded");
      return undefined;
    }
  }

  /** Runs a payment's settlement, joined by whoever asks for the same payment meanwhile. */
  const settleOnce = (payment: PaymentRow, work: () => Promise<Settled>): Promise<Settled> => {
    const task = work().finally(() => running.delete(payment.id));
    running.set(payment.id, task);
    return task;
  };

  const settlement = {
    /** The provider took the money: record it, then let the seat actor decide. Money for a failed payment goes back. */
    async succeeded(payment: PaymentRow, from: readonly PaymentStatus[] = ["pending"], known?: OrderRow): Promise<Settled> {
      const order = known ?? (await orderOf(payment));
      const captured = await store.move(payment.id, from, "succeeded");
      if (captured) {
        // The event and the seat engine's confirm go out together: nothing downstream waits on
        // `succeeded` (orders follow SeatsSold), and the row just moved needs no second read.
        const [settled] = await Promise.all([running.get(captured.id) ?? settleOnce(captured, () => confirm(captured, order)), publishPaymentStatus(bus, captured, order)]);
        return settled;
      }
      const current = (await store.find(payment.id)) ?? payment;
      if (current.status === "failed") {
        logger.warn({ paymentId: current.id, orderId: order.id }, "money arrived for a failed payment; refunding it");
        // Through settle: one refund call at a time per payment, whoever else (the reconciler) is at it.
        return settlement.settle(await owed(current, order, ["failed"], "late_success", { previousReason: current.reason }));
      }
      return settlement.settle(current);
    },

    /** Captured but not settled (or a refund to finish): runs the rest, once at a time per payment. */
    settle(payment: PaymentRow): Promise<Settled> {
      return (
        running.get(payment.id) ??
        settleOnce(payment, async () => {
          const current = (await store.find(payment.id)) ?? payment;
          if (current.status === "refund_pending" || current.status === "refund_failed") return refund(current, await orderOf(current));
          if (current.status === "succeeded" && !current.settledAt) return confirm(current);
          return settledOf(current);
        })
      );
    },

    /** The provider declined: the provider payment is cancelled, the payment fails, and the hold goes back so the seats sell again. */
    async declined(payment: PaymentRow, reason: string): Promise<Settled> {
      const order = await orderOf(payment);
      const stopped = await cancelAtProvider(payment);
      // The money was taken after all (another card, a race with the decline): the seat actor decides.
      if (stopped?.status === "succeeded") return settlement.succeeded(payment, ["created", "pending"]);
      // Still processing: its outcome comes by webhook, or the reconciler asks again.
      if (stopped?.status === "pending") return { status: "payment_pending", payment };
      const failed = await moved(await store.move(payment.id, ["created", "pending"], "failed", { reason }), order);
      if (failed && order.kind === "resale") await deps.resale.release(order.id, new Date(deps.clock()));
      else if (failed) {
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

    /**
     * A payment still open (`created`, `pending`) long after it started: a webhook was lost, or a
     * provider call failed. Asks the provider where the money is and follows it; a payment whose
     * hold is surely over is cancelled at the provider (and settled if it took money after all).
     */
    async reconcileOpen(payment: PaymentRow): Promise<Settled> {
      const order = await orderOf(payment);
      let current = payment;
      if (!current.providerRef) {
        // The same key finds the same provider payment if the first call reached the provider.
        const { providerRef } = await provider(current).create({
          paymentId: current.id,
          orderId: order.id,
          amount: { amount: decimal2(current.amount), currency: current.currency },
          idempotencyKey: `create:${current.id}`,
        });
        current = (await moved(await store.move(current.id, ["created"], "pending", { providerRef }), order)) ?? (await store.find(current.id))!;
        if (!current.providerRef) return settledOf(current);
      }
      const outcome = await provider(current).status({ paymentId: current.id, providerRef: current.providerRef });
      switch (outcome.status) {
        case "succeeded":
          return settlement.succeeded(current, ["created", "pending"]);
        case "failed":
          return settlement.declined(current, outcome.reason);
        case "pending": {
          const holdOver =
            order.status === "expired" ||
            order.status === "failed" ||
            deps.clock() > Math.max(order.expiresAt.getTime(), current.createdAt.getTime() + deps.holdExtensionMs);
          return holdOver ? settlement.declined(current, "abandoned") : settledOf(current);
        }
        default: {
          const unreachable: never = outcome;
          throw new Error(`unknown provider outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },

    /**
     * An organizer refund or a cancellation: a settled payment moves to `refund_pending` (one
     * atomic step, so of two clicks only one starts a refund), then the refund runs. A payment
     * already on its way back, or not refundable, is answered as it stands.
     */
    async requestRefund(payment: PaymentRow, reason: RefundRequestReason, detail: Record<string, unknown>): Promise<Settled> {
      if (payment.status !== "succeeded" || !payment.settledAt) return settlement.settle(payment);
      const order = await orderOf(payment);
      const requested = await moved(await store.move(payment.id, ["succeeded"], "refund_pending", { reason, detail }), order);
      return settlement.settle(requested ?? (await store.find(payment.id)) ?? payment);
    },

    /** Whatever the payment needs next: the reconciler's one entry point. */
    reconcile(payment: PaymentRow): Promise<Settled> {
      return payment.status === "created" || payment.status === "pending" ? settlement.reconcileOpen(payment) : settlement.settle(payment);
    },
  };
  return settlement;
}

export type Settlement = ReturnType<typeof createSettlement>;

import { z } from "zod";
import { Money } from "./money.ts";

/**
 * Where a payment stands: money moves at `succeeded` and, back, at `refunded`. `refund_failed`:
 * the provider refused or did not answer the refund; it is retried with backoff (never dropped).
 */
export const PaymentStatus = z.enum(["created", "pending", "succeeded", "failed", "refund_pending", "refund_failed", "refunded"]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const PaymentProviderName = z.enum(["mock", "stripe"]);
export type PaymentProviderName = z.infer<typeof PaymentProviderName>;

/**
 * A payment reached a new status. Published once per status on `payment.<status>.<paymentId>`
 * (msg-id `<paymentId>:<status>`); the order service follows it (`pending` → payment_pending,
 * `failed` → failed, `refunded` → refunded).
 */
export const PaymentStatusChanged = z.object({
  type: z.literal("PaymentStatusChanged"),
  paymentId: z.uuid(),
  orderId: z.uuid(),
  buyerId: z.string(),
  provider: PaymentProviderName,
  status: PaymentStatus,
  amount: Money,
  /** Why a payment failed or was refunded (e.g. `declined`, `hold_expired`, `organizer_refund`, `session_cancelled`). */
  reason: z.string().optional(),
  /** On `refund_failed`: the provider's refusal (the refund is retried with backoff). */
  error: z.string().max(500).optional(),
  at: z.int(),
});
export type PaymentStatusChanged = z.infer<typeof PaymentStatusChanged>;

/** Every event on the PAYMENTS stream, discriminated on `type`. */
export const PaymentEvent = z.discriminatedUnion("type", [PaymentStatusChanged]);
export type PaymentEvent = z.infer<typeof PaymentEvent>;

import { orderIdForHold } from "@rush/contracts";
import { orderItems, orders } from "@rush/db";
// Shared test support of issue 6's services (real servers, seeded users and sessions).
import { type PurchaseStack, hold } from "../../../order/src/testing/purchase-stack.ts";

/**
 * A held seat and its order row, written as the order service would have opened it (it does not
 * run in the payment tests), so each test controls exactly what the payment side sees.
 */
export async function heldOrder(stack: PurchaseStack, sessionId: string, buyerId: string, seatId: string, price = { amount: "45.00", currency: "EUR" }) {
  const { holdId, event } = await hold(stack, sessionId, buyerId, [seatId]);
  if (event?.type !== "SeatsHeld") throw new Error(`no hold: ${event?.type}`);
  const orderId = orderIdForHold(holdId);
  await stack.db.db.insert(orders).values({
    id: orderId,
    holdId,
    sessionId,
    buyerId,
    totalAmount: price.amount,
    currency: price.currency,
    expiresAt: new Date(event.expiresAt),
  });
  await stack.db.db.insert(orderItems).values({ orderId, seatId, amount: price.amount, currency: price.currency });
  return { orderId, holdId };
}

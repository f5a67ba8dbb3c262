import type { HoldCreated, OrderView } from "@rush/contracts";
import { myOrders } from "../api/endpoints.ts";

/** Orders whose seats are still held for the buyer: they can still be paid. */
export const isPayable = (order: OrderView, now = Date.now()): boolean =>
  (order.status === "created" || order.status === "payment_pending") && Date.parse(order.expiresAt) > now;

/** An order read back as the hold it stands for (what `POST …/holds` answered). */
export const holdOfOrder = (order: OrderView): HoldCreated => ({
  holdId: order.holdId,
  orderId: order.id,
  sessionId: order.sessionId,
  areaId: order.areaId,
  seats: order.items.map((item) => ({ id: item.seatId, price: item.price })),
  expiresAt: order.expiresAt,
});

const key = (sessionId: string) => `rush.hold.${sessionId}`;

/**
 * The buyer's live hold of a session, shared by every tab: kept in localStorage (a `storage`
 * event tells the other tabs at once) and, for another device or a cleared storage, found
 * again among the buyer's payable orders.
 */
export const sharedHold = {
  read(sessionId: string): HoldCreated | null {
    try {
      return JSON.parse(localStorage.getItem(key(sessionId)) ?? "null") as HoldCreated | null;
    } catch {
      return null;
    }
  },
  write(sessionId: string, hold: HoldCreated | null): void {
    if (hold) localStorage.setItem(key(sessionId), JSON.stringify(hold));
    else localStorage.removeItem(key(sessionId));
  },
  /** Calls back with the hold when another tab takes or drops one. */
  watch(sessionId: string, listener: (hold: HoldCreated | null) => void): () => void {
    const onStorage = (event: StorageEvent) => {
      if (event.key === key(sessionId)) listener(sharedHold.read(sessionId));
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  },
  /** The newest payable order of this session, as a hold (the server's word, any device). */
  async fromOrders(sessionId: string): Promise<HoldCreated | null> {
    const page = await myOrders();
    const order = page.items.find((o) => o.sessionId === sessionId && isPayable(o));
    return order ? holdOfOrder(order) : null;
  },
};

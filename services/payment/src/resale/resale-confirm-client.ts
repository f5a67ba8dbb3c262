import type { Bus } from "@rush/bus";
import { RESALE_CONFIRM_SUBJECT, ResaleConfirmReply } from "@rush/contracts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Asks the order service to complete a paid resale order (it decides a resale as a seat actor
 * decides a sale). `undefined` when nobody answered in time: the reconciler asks again, and the
 * order service answers a listing it already sold with `sold` again.
 */
export function resaleConfirmer(bus: Bus) {
  return async (orderId: string, paymentId: string, timeoutMs: number): Promise<ResaleConfirmReply | undefined> => {
    try {
      const reply = await bus.nc.request(RESALE_CONFIRM_SUBJECT, encoder.encode(JSON.stringify({ orderId, paymentId })), { timeout: timeoutMs });
      return ResaleConfirmReply.parse(JSON.parse(decoder.decode(reply.data)));
    } catch {
      // A timeout or no responders (the order service restarting): not an answer.
      return undefined;
    }
  };
}

export type ResaleConfirmer = ReturnType<typeof resaleConfirmer>;

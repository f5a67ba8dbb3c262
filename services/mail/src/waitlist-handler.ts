import { PermanentFailure } from "@rush/bus";
import { type WaitlistStreamEvent, orderIdForHold } from "@rush/contracts";
import type { HandlerDeps } from "./handlers.ts";
import { waitlistOffer } from "./templates/index.ts";

/**
 * SEAT_EVENTS `seat.waitlist.*`: an offer tells its buyer that seats are held for them. An offer
 * that ended before the mail could go out is not worth a message; joins and leaves mail nothing.
 */
export function waitlistMails(deps: HandlerDeps) {
  const template = "waitlist-offer";
  return async (event: WaitlistStreamEvent): Promise<void> => {
    if (event.type !== "WaitlistOffered") return;
    if (event.expiresAt <= deps.clock()) return deps.onSkipped?.(template, "skipped");
    const [to, session] = await Promise.all([deps.lookups.user(event.buyerId), deps.lookups.session(event.sessionId)]);
    if (!to) throw new PermanentFailure(`user ${event.buyerId} does not exist`);
    if (!session) throw new PermanentFailure(`session ${event.sessionId} does not exist`);
    const message = waitlistOffer({
      to: to.email,
      name: to.name,
      ...session,
      appUrl: deps.appUrl,
      sessionId: event.sessionId,
      orderId: orderIdForHold(event.holdId),
      seatIds: event.seatIds,
      expiresAt: new Date(event.expiresAt),
    });
    return deps.deliver(`${template}:${event.holdId}`, template, message);
  };
}

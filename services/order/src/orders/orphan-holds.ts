import { type Bus, type TraceContext, publish } from "@rush/bus";
import { type SeatsHeld, ReleaseHold, partitionOf, seatCommandSubject } from "@rush/contracts";
import type { Logger } from "@rush/service";

/**
 * A hold whose order can never be created (its SeatsHeld failed permanently: a buyer the users
 * table does not know, an unpriced area) is released at once, as its owner would: no one could
 * pay for it, so keeping its seats until the hold times out would only keep them from other
 * buyers. The command id derives from the hold, so a redelivery releases once.
 */
export function createOrphanHoldReleaser(deps: { bus: Bus; partitions: number; logger: Logger; clock: () => number }) {
  return async function release(event: SeatsHeld, trace: TraceContext): Promise<void> {
    const command = ReleaseHold.safeParse({
      type: "ReleaseHold",
      commandId: `orphan:${event.holdId}`,
      sessionId: event.sessionId,
      areaId: event.areaId,
      now: deps.clock(),
      holdId: event.holdId,
      buyerId: event.buyerId,
    });
    if (!command.success) {
      deps.logger.warn({ holdId: event.holdId }, "an orphan hold cannot be named in a ReleaseHold; it runs out by itself");
      return;
    }
    const subject = seatCommandSubject(partitionOf(event.sessionId, event.areaId, deps.partitions));
    await publish(deps.bus, subject, ReleaseHold, command.data, { msgId: command.data.commandId, type: "ReleaseHold", trace });
    deps.logger.warn({ holdId: event.holdId, buyerId: event.buyerId }, "released a hold whose order can never be created");
  };
}

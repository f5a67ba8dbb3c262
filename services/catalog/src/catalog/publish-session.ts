import type { AccessTokenClaims, PublishResponse, SeatMap } from "@rush/contracts";
import type { Database } from "@rush/db";
import { HttpProblem } from "@rush/service";
import type { InventoryLoader } from "./inventory-loader.ts";
import { planInventory } from "./inventory-plan.ts";
import { assertCanManage, notFound } from "./ownership.ts";
import { findSession, transition } from "./sessions.ts";
import { findVenue } from "./venues.ts";

export interface PublishDeps {
  db: Database;
  loader: InventoryLoader;
  partitions: number;
  maxHoldExtensionMs: number;
  clock: () => number;
}

export type PublishSession = (sessionId: string, principal: AccessTokenClaims) => Promise<PublishResponse>;

/**
 * Opens a session's inventory: `draft → publishing`, every priced area loaded into its
 * partition's actor, then `on_sale`. Publishing again (after a timeout, or to check) repeats
 * the same command ids, which the engine applies once. One publish per session at a time in
 * this process; concurrent callers share its outcome.
 */
export function createPublisher(deps: PublishDeps): PublishSession {
  const inFlight = new Map<string, Promise<PublishResponse>>();

  async function publish(sessionId: string): Promise<PublishResponse> {
    const session = await findSession(deps.db, sessionId);
    if (!session) throw notFound("session", sessionId);
    const venue = await findVenue(deps.db, session.venueId);
    if (!venue) throw new Error(`session ${sessionId} has no venue ${session.venueId}`);
    const plan = planInventory({
      sessionId,
      seatMap: venue.seatMap as SeatMap,
      priceCategories: session.priceCategories,
      config: {
        holdTtlMs: session.holdTtlSeconds * 1000,
        maxSeatsPerHold: session.maxSeatsPerHold,
        maxSeatsPerBuyer: session.maxSeatsPerBuyer,
        maxHoldExtensionMs: deps.maxHoldExtensionMs,
      },
      now: deps.clock(),
      partitions: deps.partitions,
    });
    await transition(deps.db, sessionId, ["draft"], "publishing");
    await deps.loader.load(plan);
    if (!(await transition(deps.db, sessionId, ["publishing", "on_sale"], "on_sale", new Date(deps.clock())))) {
      throw new HttpProblem(409, "session_closed", "Conflict", "the session was closed while publishing");
    }
    const published = (await findSession(deps.db, sessionId))!;
    return {
      ...published,
      inventory: {
        seats: plan.reduce((n, area) => n + area.seats, 0),
        areas: plan.map(({ areaId, seats, partition }) => ({ id: areaId, seats, partition })),
      },
    };
  }

  return async (sessionId, principal) => {
    // Checks first, per caller: sharing an in-flight publish must not skip anyone's authorization.
    const session = await findSession(deps.db, sessionId);
    if (!session) throw notFound("session", sessionId);
    assertCanManage(principal, session.organizerId, "session");
    if (session.status === "closed") throw new HttpProblem(409, "session_closed", "Conflict", "a closed session cannot be published");
    if (Date.parse(session.saleEndsAt) <= deps.clock()) {
      throw new HttpProblem(409, "sale_ended", "Conflict", "the sale window of this session is over");
    }
    let running = inFlight.get(sessionId);
    if (!running) {
      running = publish(sessionId).finally(() => inFlight.delete(sessionId));
      inFlight.set(sessionId, running);
    }
    return running;
  };
}

import { type Bus, type SeatCommandClient, publish } from "@rush/bus";
import { type AccessTokenClaims, type CancelSessionResponse, OrderEvent, type SessionCancelled, sessionCancelledSubject } from "@rush/contracts";
import { type Database, orders, sessions } from "@rush/db";
import { HttpProblem } from "@rush/service";
import { and, count, eq, inArray, ne } from "drizzle-orm";
import { assertCanManage, notFound } from "./ownership.ts";
import { findSession } from "./sessions.ts";

export interface CancelDeps {
  db: Database;
  bus: Bus;
  seatCommands: SeatCommandClient;
  /** How long one area's cancel waits for the seat engine's answer. */
  timeoutMs: number;
  clock: () => number;
}

export type CancelSession = (sessionId: string, principal: AccessTokenClaims, reason?: string) => Promise<CancelSessionResponse>;

/**
 * Cancels a session, durably first: the row turns `cancelled` (that alone makes the payment
 * service's reconciler refund every completed order, and the door refuse its tickets), then
 * `SessionCancelled` goes on the ORDERS stream and every priced area gets a `CancelArea` (live
 * holds end, sold seats come back, every seat is blocked). Each step is idempotent, so asking
 * again after a failure (a 503 here) finishes whatever the first call did not.
 */
export function createCanceller(deps: CancelDeps): CancelSession {
  return async (sessionId, principal, reason) => {
    const session = await findSession(deps.db, sessionId);
    if (!session) throw notFound("session", sessionId);
    assertCanManage(principal, session.organizerId, "session");
    const now = new Date(deps.clock());
    await deps.db
      .update(sessions)
      .set({ status: "cancelled", cancelledAt: now, cancelledBy: principal.sub, ...(reason ? { cancelReason: reason } : {}) })
      .where(and(eq(sessions.id, sessionId), ne(sessions.status, "cancelled")));
    const [row] = await deps.db.select().from(sessions).where(eq(sessions.id, sessionId));
    const cancelledAt = row?.cancelledAt ?? now;
    const event: SessionCancelled = {
      type: "SessionCancelled",
      sessionId,
      eventId: session.eventId,
      cancelledBy: row?.cancelledBy ?? principal.sub,
      ...(row?.cancelReason ? { reason: row.cancelReason } : {}),
      at: cancelledAt.getTime(),
    };
    try {
      await publish(deps.bus, sessionCancelledSubject(sessionId), OrderEvent, event, { msgId: `${sessionId}:cancelled`, type: "SessionCancelled" });
      // A session never published never reached the engine: nothing to take off sale (a repeat
      // of a draft's cancellation must not wait on areas no actor knows).
      if (session.publishedAt !== null || session.status === "publishing") {
        const areaIds = [...new Set(session.priceCategories.flatMap((category) => category.areaIds))];
        await Promise.all(
          areaIds.map((areaId) =>
            deps.seatCommands.send(
              { type: "CancelArea", commandId: `cancel:${sessionId}:${areaId}`, sessionId, areaId, now: deps.clock() },
              { timeoutMs: deps.timeoutMs },
            ),
          ),
        );
      }
    } catch (error) {
      throw new HttpProblem(503, "seat_engine_unavailable", "Service Unavailable", `the session is cancelled but not yet off sale everywhere; ask again: ${(error as Error).message}`, {}, { "retry-after": "2" });
    }
    const [owed] = await deps.db
      .select({ n: count() })
      .from(orders)
      .where(and(eq(orders.sessionId, sessionId), inArray(orders.status, ["completed", "refund_pending", "refund_failed"])));
    return { sessionId, status: "cancelled", cancelledAt: cancelledAt.toISOString(), ordersToRefund: owed?.n ?? 0 };
  };
}

import type { AreaSummary, CreateSessionRequest, PriceCategory, SessionStatus, SessionView, UpdateSessionRequest, WaitingRoomSettings } from "@rush/contracts";
import { type Database, events, priceCategories, sessions } from "@rush/db";
import { HttpProblem } from "@rush/service";
import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";

type SessionRow = typeof sessions.$inferSelect;
type EventRef = { id: string; venueId: string; organizerId: string; name: string };

const toPriceCategory = (row: typeof priceCategories.$inferSelect): PriceCategory => ({
  id: row.id,
  name: row.name,
  areaIds: row.areaIds,
  price: { amount: row.amount, currency: row.currency },
});

function toView(row: SessionRow, event: EventRef, categories: PriceCategory[]): SessionView {
  return {
    id: row.id,
    eventId: event.id,
    venueId: event.venueId,
    organizerId: event.organizerId,
    eventName: event.name,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    saleStartsAt: row.saleStartsAt.toISOString(),
    saleEndsAt: row.saleEndsAt.toISOString(),
    holdTtlSeconds: row.holdTtlSeconds,
    maxSeatsPerHold: row.maxSeatsPerHold,
    maxSeatsPerBuyer: row.maxSeatsPerBuyer,
    waitingRoom: (row.waitingRoom as WaitingRoomSettings | null) ?? null,
    status: row.status,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    priceCategories: categories,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Price categories may only name areas of the event's venue. */
function assertKnownAreas(body: CreateSessionRequest, venueAreas: readonly AreaSummary[]): void {
  const known = new Set(venueAreas.map((a) => a.id));
  const errors = body.priceCategories.flatMap((category, c) =>
    category.areaIds.flatMap((areaId, i) =>
      known.has(areaId) ? [] : [{ path: `body.priceCategories.${c}.areaIds.${i}`, message: `the venue has no area ${areaId}` }],
    ),
  );
  if (errors.length > 0) {
    throw new HttpProblem(422, "unknown_areas", "Unprocessable Content", "price categories name areas the venue does not have", { errors });
  }
}

/** Creates a draft session with its price categories, in one transaction. */
export async function insertSession(
  db: Database,
  event: EventRef,
  venueAreas: readonly AreaSummary[],
  body: CreateSessionRequest,
): Promise<SessionView> {
  assertKnownAreas(body, venueAreas);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sessions)
      .values({
        eventId: event.id,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
        saleStartsAt: new Date(body.saleStartsAt),
        saleEndsAt: new Date(body.saleEndsAt),
        holdTtlSeconds: body.holdTtlSeconds,
        maxSeatsPerHold: body.maxSeatsPerHold,
        maxSeatsPerBuyer: body.maxSeatsPerBuyer ?? body.maxSeatsPerHold,
        waitingRoom: body.waitingRoom ?? null,
      })
      .returning();
    const categories = await tx
      .insert(priceCategories)
      .values(
        body.priceCategories.map((c) => ({
          sessionId: row!.id,
          name: c.name,
          areaIds: c.areaIds,
          amount: c.price.amount,
          currency: c.price.currency,
        })),
      )
      .returning();
    return toView(row!, event, categories.map(toPriceCategory));
  });
}

export async function findSession(db: Database, id: string): Promise<SessionView | undefined> {
  const [found] = await db
    .select({ session: sessions, event: { id: events.id, venueId: events.venueId, organizerId: events.organizerId, name: events.name } })
    .from(sessions)
    .innerJoin(events, eq(events.id, sessions.eventId))
    .where(eq(sessions.id, id));
  if (!found) return undefined;
  const categories = await db
    .select()
    .from(priceCategories)
    .where(eq(priceCategories.sessionId, id))
    .orderBy(asc(priceCategories.name));
  return toView(found.session, found.event, categories.map(toPriceCategory));
}

/** Moves the session to `to` if it is in one of `from`; returns whether it did. */
export async function transition(
  db: Database,
  id: string,
  from: readonly SessionStatus[],
  to: SessionStatus,
  at?: Date,
): Promise<boolean> {
  const moved = await db
    .update(sessions)
    .set({ status: to, ...(at ? { publishedAt: sql`coalesce(${sessions.publishedAt}, ${at.toISOString()}::timestamptz)` } : {}) })
    .where(and(eq(sessions.id, id), inArray(sessions.status, [...from])))
    .returning({ id: sessions.id });
  return moved.length > 0;
}

/**
 * Applies `changes` in one transaction, only while the session is a draft or its sale has not
 * opened at `now` (checked in the UPDATE itself, so a sale opening meanwhile wins); false if not.
 */
export async function updateSession(db: Database, id: string, changes: UpdateSessionRequest, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const dates = Object.fromEntries(
      (["startsAt", "endsAt", "saleStartsAt", "saleEndsAt"] as const).flatMap((key) => (changes[key] ? [[key, new Date(changes[key])]] : [])),
    );
    const editable = and(eq(sessions.id, id), or(eq(sessions.status, "draft"), and(eq(sessions.status, "on_sale"), gt(sessions.saleStartsAt, now))));
    // An empty SET is not SQL: with prices only, touch the id to take the row lock all the same.
    const moved = await tx
      .update(sessions)
      .set(Object.keys(dates).length > 0 ? dates : { id })
      .where(editable)
      .returning({ id: sessions.id });
    if (moved.length === 0) return false;
    for (const p of changes.prices ?? []) {
      await tx
        .update(priceCategories)
        .set({ amount: p.price.amount })
        .where(and(eq(priceCategories.id, p.priceCategoryId), eq(priceCategories.sessionId, id)));
    }
    return true;
  });
}

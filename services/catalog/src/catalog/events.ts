import type { EventView, SessionSummary, UpdateEventRequest } from "@rush/contracts";
import { type Database, events, sessions } from "@rush/db";
import { asc, eq, inArray } from "drizzle-orm";

type Row = Pick<typeof events.$inferSelect, "id" | "venueId" | "organizerId" | "name" | "description" | "category" | "tags" | "createdAt">;

/** The columns an event view needs (not the search vector). */
export const eventColumns = {
  id: events.id,
  venueId: events.venueId,
  organizerId: events.organizerId,
  name: events.name,
  description: events.description,
  category: events.category,
  tags: events.tags,
  createdAt: events.createdAt,
};

const toSummary = (row: typeof sessions.$inferSelect): SessionSummary => ({
  id: row.id,
  startsAt: row.startsAt.toISOString(),
  endsAt: row.endsAt.toISOString(),
  saleStartsAt: row.saleStartsAt.toISOString(),
  saleEndsAt: row.saleEndsAt.toISOString(),
  status: row.status,
  waitingRoom: Boolean((row.waitingRoom as { enabled?: boolean } | null)?.enabled),
});

/** What the public sees of an event's sessions: published ones only, never drafts. */
export const PUBLIC_SESSION_STATUSES: readonly (typeof sessions.$inferSelect)["status"][] = ["on_sale", "closed"];

/**
 * Event views for `rows`, in their order, each with its sessions (one query for all of them);
 * `publicOnly` leaves drafts out (for anyone but the event's organizer).
 */
export async function withSessions(db: Database, rows: readonly Row[], options: { publicOnly?: boolean } = {}): Promise<EventView[]> {
  if (rows.length === 0) return [];
  const all = await db
    .select()
    .from(sessions)
    .where(inArray(sessions.eventId, rows.map((r) => r.id)))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  const byEvent = new Map<string, (typeof all)[number][]>();
  for (const session of all) byEvent.set(session.eventId, [...(byEvent.get(session.eventId) ?? []), session]);
  return rows.map((row) => ({
    id: row.id,
    venueId: row.venueId,
    organizerId: row.organizerId,
    name: row.name,
    description: row.description,
    category: row.category,
    tags: row.tags,
    createdAt: row.createdAt.toISOString(),
    sessions: (byEvent.get(row.id) ?? []).filter((s) => !options.publicOnly || PUBLIC_SESSION_STATUSES.includes(s.status)).map(toSummary),
  }));
}

export async function insertEvent(
  db: Database,
  values: { venueId: string; organizerId: string; name: string; description: string; category: string; tags: string[] },
): Promise<EventView> {
  const [row] = await db.insert(events).values(values).returning(eventColumns);
  return { ...(await withSessions(db, [row!]))[0]! };
}

/** The event row only (ownership checks). */
export async function findEventRow(db: Database, id: string): Promise<Row | undefined> {
  const [row] = await db.select(eventColumns).from(events).where(eq(events.id, id));
  return row;
}

export async function findEvent(db: Database, id: string, viewer?: { sub: string; roles: readonly string[] }): Promise<EventView | undefined> {
  const row = await findEventRow(db, id);
  const manages = viewer !== undefined && (viewer.roles.includes("admin") || viewer.sub === row?.organizerId);
  return row && (await withSessions(db, [row], { publicOnly: !manages }))[0];
}

export async function updateEvent(db: Database, id: string, changes: UpdateEventRequest): Promise<EventView | undefined> {
  const [row] = await db.update(events).set(changes).where(eq(events.id, id)).returning(eventColumns);
  return row && (await withSessions(db, [row]))[0];
}

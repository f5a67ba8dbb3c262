import type { AreaSummary, SeatMap, VenueSummary, VenueView } from "@rush/contracts";
import { type Database, venues } from "@rush/db";
import { and, desc, eq, getTableColumns, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { ExpandedSeatMap } from "./seat-map.ts";

type Row = Omit<typeof venues.$inferSelect, "seatMap">;

export const toVenueSummary = (row: Row): VenueSummary => ({
  id: row.id,
  ownerId: row.ownerId,
  name: row.name,
  address: row.address,
  capacity: row.capacity,
  areas: row.areas as AreaSummary[],
  createdAt: row.createdAt.toISOString(),
});

const { seatMap: _seatMap, ...summaryColumns } = getTableColumns(venues);

export async function insertVenue(
  db: Database,
  values: { ownerId: string; name: string; address: string; expanded: ExpandedSeatMap },
): Promise<VenueSummary> {
  const { expanded, ...rest } = values;
  const [row] = await db
    .insert(venues)
    .values({ ...rest, seatMap: expanded.seatMap, areas: expanded.areas, capacity: expanded.capacity })
    .returning(summaryColumns);
  return toVenueSummary(row!);
}

/** The venue without its seats (cheap: the seat map is not read). */
export async function findVenueSummary(db: Database, id: string): Promise<VenueSummary | undefined> {
  const [row] = await db.select(summaryColumns).from(venues).where(eq(venues.id, id));
  return row && toVenueSummary(row);
}

export async function findVenue(db: Database, id: string): Promise<VenueView | undefined> {
  const [row] = await db.select().from(venues).where(eq(venues.id, id));
  return row && { ...toVenueSummary(row), seatMap: row.seatMap as SeatMap };
}

// Keyset on (created_at, id), newest first; created_at travels as Postgres text to keep its microseconds.
const VenueCursor = z.object({ c: z.string().max(64), id: z.uuid() });

export async function listVenues(
  db: Database,
  query: { name?: string | undefined; ownerId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: VenueSummary[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? undefined : decodeCursor(VenueCursor, query.cursor);
  const rows = await db
    .select({ ...summaryColumns, createdKey: sql<string>`${venues.createdAt}::text` })
    .from(venues)
    .where(
      and(
        query.name === undefined ? undefined : sql`lower(${venues.name}) = lower(${query.name})`,
        query.ownerId === undefined ? undefined : eq(venues.ownerId, query.ownerId),
        after === undefined
          ? undefined
          : or(lt(venues.createdAt, sql`${after.c}::timestamptz`), and(eq(venues.createdAt, sql`${after.c}::timestamptz`), lt(venues.id, after.id))),
      ),
    )
    .orderBy(desc(venues.createdAt), desc(venues.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toVenueSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ c: last.createdKey, id: last.id }) : null,
  };
}

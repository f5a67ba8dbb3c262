import type { EventPage, EventSearchQuery } from "@rush/contracts";
import { type Database, events } from "@rush/db";
import { type SQL, and, sql } from "drizzle-orm";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { eventColumns, withSessions } from "./events.ts";

// Ranked pages: the score is rounded to a fixed decimal so the cursor compares exactly.
const RankedCursor = z.object({ s: z.string().regex(/^\d+(\.\d+)?$/), id: z.uuid() });
// Unranked pages: newest first; created_at as Postgres text keeps its microseconds. Checked
// here, not by Postgres: a forged key would otherwise fail the `::timestamptz` cast as a 500.
const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const PgTimestamp = z
  .string()
  .max(64)
  .regex(PG_TIMESTAMPTZ)
  .refine((text) => !Number.isNaN(Date.parse(text.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"))), "not a time");
const RecentCursor = z.object({ c: PgTimestamp, id: z.uuid() });
// The public listing: by the next published session's start (an ISO instant), then id.
const DateCursor = z.object({ t: z.iso.datetime({ offset: true }), id: z.uuid() });

/** The start of an event's next published session that has not ended (null: none). */
const nextStart = sql<string | null>`(select min(s.starts_at) from sessions s where s.event_id = ${events.id} and s.status in ('on_sale', 'closed') and s.ends_at > now())`;

/** `from` inclusive, `to` exclusive; a date-only `to` includes that whole day. */
function bounds(query: EventSearchQuery): { from?: Date; to?: Date } {
  const to = query.to === undefined ? undefined : new Date(query.to);
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(query.to!)) to.setUTCDate(to.getUTCDate() + 1);
  return { ...(query.from ? { from: new Date(query.from) } : {}), ...(to ? { to } : {}) };
}

function filters(query: EventSearchQuery): SQL | undefined {
  const { from, to } = bounds(query);
  const range =
    from || to
      ? // Drizzle hands postgres.js strings, not Dates: cast explicitly.
        sql`exists (select 1 from sessions s where s.event_id = ${events.id}${from ? sql` and s.starts_at >= ${from.toISOString()}::timestamptz` : sql``}${to ? sql` and s.starts_at < ${to.toISOString()}::timestamptz` : sql``})`
      : undefined;
  return and(query.category === undefined ? undefined : sql`${events.category} = ${query.category}`, range);
}

/**
 * The text query: every word as a prefix over name and tags (autocomplete: `roc` finds
 * "Rock"), or the words stemmed in English over the description; a typo in the name is
 * caught by trigram word similarity (`<%`, served by the pg_trgm GIN index).
 */
function textQuery(q: string): SQL {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // Words are letters and digits only, so they are safe inside to_tsquery's syntax.
  const prefix = words.length > 0 ? sql`to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})` : sql`''::tsquery`;
  return sql`(${prefix} || websearch_to_tsquery('english', ${q}))`;
}

/** Full-text search with ranking (name above tags above description), filters and keyset pagination. */
export async function searchEvents(db: Database, query: EventSearchQuery): Promise<EventPage> {
  const limit = query.limit;
  if (query.sort === "date") return byDate(db, query);
  if (query.q === undefined) {
    const after = query.cursor === undefined ? undefined : decodeCursor(RecentCursor, query.cursor);
    const rows = await db
      .select({ ...eventColumns, key: sql<string>`${events.createdAt}::text` })
      .from(events)
      .where(
        and(
          filters(query),
          after && sql`(${events.createdAt}, ${events.id}) < (${after.c}::timestamptz, ${after.id}::uuid)`,
        ),
      )
      .orderBy(sql`${events.createdAt} desc, ${events.id} desc`)
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await withSessions(db, page, { publicOnly: true }),
      nextCursor: rows.length > limit && last ? encodeCursor({ c: last.key, id: last.id }) : null,
    };
  }
  const tsq = textQuery(query.q);
  const score = sql<string>`round((ts_rank(${events.search}, ${tsq}) + 0.5 * word_similarity(${query.q}, ${events.name}))::numeric, 6)`;
  const ranked = db
    .select({ ...eventColumns, score: score.as("score") })
    .from(events)
    .where(and(sql`(${events.search} @@ ${tsq} or ${query.q} <% ${events.name})`, filters(query)))
    .as("ranked");
  const after = query.cursor === undefined ? undefined : decodeCursor(RankedCursor, query.cursor);
  const rows = await db
    .select()
    .from(ranked)
    .where(after && sql`(${ranked.score} < ${after.s}::numeric or (${ranked.score} = ${after.s}::numeric and ${ranked.id} > ${after.id}::uuid))`)
    .orderBy(sql`${ranked.score} desc, ${ranked.id} asc`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await withSessions(db, page, { publicOnly: true }),
    nextCursor: rows.length > limit && last ? encodeCursor({ s: String(last.score), id: last.id }) : null,
  };
}

/** `sort=date`: events with a published session still to come, soonest first (text and filters still apply). */
async function byDate(db: Database, query: EventSearchQuery): Promise<EventPage> {
  const limit = query.limit;
  const after = query.cursor === undefined ? undefined : decodeCursor(DateCursor, query.cursor);
  const dated = db
    .select({ ...eventColumns, next: sql<string>`to_char(${nextStart} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("next") })
    .from(events)
    .where(and(query.q === undefined ? undefined : sql`(${events.search} @@ ${textQuery(query.q)} or ${query.q} <% ${events.name})`, filters(query)))
    .as("dated");
  const rows = await db
    .select()
    .from(dated)
    .where(and(sql`${dated.next} is not null`, after && sql`(${dated.next}, ${dated.id}) > (${after.t}, ${after.id}::uuid)`))
    .orderBy(sql`${dated.next} asc, ${dated.id} asc`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await withSessions(db, page, { publicOnly: true }),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.next, id: last.id }) : null,
  };
}

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./client.ts";
import { ConflictError, withConflicts } from "./errors.ts";
import { MIGRATIONS_DIR, runMigrations } from "./migrate.ts";
import { events, orders, sessions, tickets, users, venues } from "./schema/index.ts";

describe("db", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await testDatabase("db");
    await runMigrations(database.url);
    db = createDb(database.url, { max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("db: migrations create every table of the schema", async () => {
    const rows = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "events", "order_items", "orders", "payment_events", "payments", "price_categories",
        "refresh_tokens", "sessions", "tickets", "users", "venues",
      ]),
    );
  });

  it("db: running the migrations again (as every service does at start) is a no-op", async () => {
    await Promise.all([runMigrations(database.url), runMigrations(database.url)]);
    const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from drizzle.__drizzle_migrations`;
    const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
    expect(row?.count).toBe(journal.entries.length);
  });

  it("db: a seat of a session is ticketed once; a second ticket is a typed conflict", async () => {
    const [user] = await db.db.insert(users).values({ email: "a@example.com", passwordHash: "x", displayName: "A" }).returning();
    const [venue] = await db.db.insert(venues).values({ ownerId: user!.id, name: "V", address: "X", seatMap: { areas: [] }, capacity: 1 }).returning();
    const [event] = await db.db.insert(events).values({ venueId: venue!.id, organizerId: user!.id, name: "Rock night", category: "music", tags: ["rock"] }).returning();
    const now = Date.now();
    const [session] = await db.db
      .insert(sessions)
      .values({
        eventId: event!.id,
        startsAt: new Date(now + 86_400_000),
        endsAt: new Date(now + 90_000_000),
        saleStartsAt: new Date(now),
        saleEndsAt: new Date(now + 80_000_000),
      })
      .returning();
    const orderIds = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of orderIds) {
      await db.db.insert(orders).values({ id, holdId: crypto.randomUUID(), sessionId: session!.id, buyerId: user!.id, totalAmount: "45.00", currency: "EUR", expiresAt: new Date(now + 600_000) });
    }
    await db.db.insert(tickets).values({ orderId: orderIds[0]!, sessionId: session!.id, seatId: "A-1-1", ownerId: user!.id });
    const second = withConflicts(() =>
      db.db.insert(tickets).values({ orderId: orderIds[1]!, sessionId: session!.id, seatId: "A-1-1", ownerId: user!.id }),
    );
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ constraint: "tickets_session_seat_key" });
  });

  it("db: the event search vector ranks name matches and finds tags", async () => {
    const rows = await db.sql<{ name: string }[]>`
      select name from events where search @@ to_tsquery('simple', 'rock') order by ts_rank(search, to_tsquery('simple', 'rock')) desc`;
    expect(rows.map((r) => r.name)).toEqual(["Rock night"]);
  });
});

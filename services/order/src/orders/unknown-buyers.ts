import { type BatchItem, PermanentFailure, type TraceContext } from "@rush/bus";
import type { SeatStreamMessage, SeatsHeld } from "@rush/contracts";
import type { Db } from "@rush/db";
import { isBuyerId } from "./seat-event-handler.ts";

/**
 * The seat-event consumer's triage: a SeatsHeld naming a buyer the users table does not know can
 * never open its order (`orders_buyer_id_users_id_fk` refuses it). One query for every buyer a
 * batch names finds them all before any insert; their holds are released at once (no one can
 * pay for them) and they are parked together. Each used to fail its own insert and park alone:
 * ~4.5 ms of CPU apiece, so 2,000 of them held a good SeatsHeld back for 13 s. The buyers go as
 * one array parameter: the statement's text is the same for every batch, so postgres.js prepares
 * it once per connection (an `in ($1, …, $n)` list was a new statement, planned again, per batch
 * size, and drizzle's builder cost more CPU than the query).
 */
export function createUnknownBuyerTriage(deps: { sql: Db["sql"]; releaseOrphan: (event: SeatsHeld, trace: TraceContext) => Promise<void> }) {
  return async function triage(items: BatchItem<SeatStreamMessage>[]): Promise<Map<BatchItem<SeatStreamMessage>, unknown>> {
    const rejected = new Map<BatchItem<SeatStreamMessage>, unknown>();
    const held = items.filter((item): item is BatchItem<SeatsHeld> => item.value.type === "SeatsHeld" && isBuyerId(item.value.buyerId));
    if (held.length === 0) return rejected;
    const named = [...new Set(held.map((item) => item.value.buyerId))];
    const rows = await deps.sql<{ id: string }[]>`select id from users where id = any(${deps.sql.array(named)}::uuid[])`;
    const known = new Set(rows.map((row) => row.id));
    await Promise.all(
      held
        .filter((item) => !known.has(item.value.buyerId))
        .map(async (item) => {
          // Released before it is parked; if releasing fails, the message takes the ordinary path (and is retried).
          const released = await deps.releaseOrphan(item.value, item.trace).then(() => true, () => false);
          if (released) rejected.set(item, new PermanentFailure(`buyer ${item.value.buyerId} is not a user: no order can name it (orders_buyer_id_users_id_fk)`));
        }),
    );
    return rejected;
  };
}

import { SEAT_SNAPSHOT_VERSION, type SeatAreaSnapshot, SeatSnapshot, seatId } from "@rush/contracts";
import { addBuyerSeats, addSeats, createArea, moveSeats, rememberEnded } from "./area.ts";
import { SeatInvariantError } from "./errors.ts";
import { type AreaState, areaKey, createPartitionState, type PartitionState } from "./state.ts";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function areaSnapshot(area: AreaState): SeatAreaSnapshot {
  const blocked: string[] = [];
  for (const row of area.rows) for (const slot of row.seats) if (slot.status === "blocked") blocked.push(slot.id);
  return {
    sessionId: area.sessionId,
    areaId: area.areaId,
    config: { ...area.config },
    rows: area.rows.map((row) => ({ label: row.label, numbers: row.seats.map((slot) => slot.number) })),
    blocked,
    holds: [...area.holds.values()]
      .sort((a, b) => byString(a.holdId, b.holdId))
      .map(({ holdId, buyerId, seatIds, createdAt, expiresAt, maxExpiresAt }) => ({
        holdId,
        buyerId,
        seatIds: [...seatIds],
        createdAt,
        expiresAt,
        maxExpiresAt,
      })),
    sold: [...area.sold.values()]
      .sort((a, b) => byString(a.holdId, b.holdId))
      .map(({ holdId, buyerId, paymentId, seatIds, soldAt }) => ({
        holdId,
        buyerId,
        paymentId,
        seatIds: [...seatIds],
        soldAt,
      })),
    ended: [...area.ended.values()].map(({ holdId, buyerId, status, reason }) =>
      reason === undefined ? { holdId, buyerId, status } : { holdId, buyerId, status, reason },
    ),
    waitlist: [...area.waitlist.values()].map((entry) => ({ ...entry })),
    waitlistSeq: area.waitlistSeq,
  };
}

/** A snapshot's area order: by sessionId, then areaId. */
function areasInOrder(state: PartitionState): AreaState[] {
  return [...state.areas.values()].sort((a, b) => byString(a.sessionId, b.sessionId) || byString(a.areaId, b.areaId));
}

/**
 * The state as plain JSON for NATS KV (store it with the stream sequence it reflects).
 * Canonical: areas by sessionId then areaId, holds by holdId, seats in venue order, ended
 * hold ids in eviction order; derived counters are left out. So two states are logically
 * equal exactly when their snapshots are deep-equal.
 */
export function toSnapshot(state: PartitionState): SeatSnapshot {
  return { version: SEAT_SNAPSHOT_VERSION, endedHoldLimit: state.endedHoldLimit, areas: areasInOrder(state).map(areaSnapshot) };
}

/**
 * `JSON.stringify(toSnapshot(state))`, but an area whose revision has not moved since this
 * encoder last saw it is not encoded again: its text is kept (by the area object, so a state
 * restored or rebuilt starts afresh). A partition keeps every session it ever sold, and a worker
 * snapshots its busy partitions every few seconds; re-encoding areas nobody touched held the
 * worker's one thread for tens of milliseconds at a time.
 */
export function createSnapshotEncoder(): (state: PartitionState) => string {
  const texts = new WeakMap<AreaState, { revision: number; text: string }>();
  return (state) => {
    const parts = areasInOrder(state).map((area) => {
      const kept = texts.get(area);
      if (kept !== undefined && kept.revision === area.revision) return kept.text;
      const text = JSON.stringify(areaSnapshot(area));
      texts.set(area, { revision: area.revision, text });
      return text;
    });
    const head = JSON.stringify({ version: SEAT_SNAPSHOT_VERSION, endedHoldLimit: state.endedHoldLimit });
    return `${head.slice(0, -1)},"areas":[${parts.join(",")}]}`;
  };
}

function restoreArea(state: PartitionState, snapshot: SeatAreaSnapshot): void {
  const key = areaKey(snapshot.sessionId, snapshot.areaId);
  if (state.areas.has(key)) throw new SeatInvariantError(`snapshot lists area ${key} twice`);
  const area = createArea(snapshot.sessionId, snapshot.areaId, { ...snapshot.config });
  const labels = new Set<string>();
  for (const row of snapshot.rows) {
    if (labels.has(row.label)) throw new SeatInvariantError(`snapshot lists row ${row.label} of ${key} twice`);
    labels.add(row.label);
    addSeats(
      area,
      row.numbers.map((number) => ({ id: seatId(snapshot.areaId, row.label, number), row: row.label, number })),
    );
  }
  // moveSeats throws if a seat is unknown or already taken, so a seat in two places is caught here.
  moveSeats(area, snapshot.blocked, "available", null, "blocked", null);
  for (const hold of snapshot.holds) {
    if (area.holds.has(hold.holdId)) throw new SeatInvariantError(`snapshot lists hold ${hold.holdId} twice`);
    moveSeats(area, hold.seatIds, "available", null, "held", hold.holdId);
    area.holds.set(hold.holdId, { ...hold, seatIds: [...hold.seatIds] });
    addBuyerSeats(area, hold.buyerId, hold.seatIds.length);
  }
  for (const sold of snapshot.sold) {
    if (area.holds.has(sold.holdId) || area.sold.has(sold.holdId)) {
      throw new SeatInvariantError(`snapshot lists hold ${sold.holdId} twice`);
    }
    moveSeats(area, sold.seatIds, "available", null, "sold", sold.holdId);
    area.sold.set(sold.holdId, { ...sold, seatIds: [...sold.seatIds] });
    addBuyerSeats(area, sold.buyerId, sold.seatIds.length);
  }
  for (const ended of snapshot.ended) {
    if (area.holds.has(ended.holdId) || area.sold.has(ended.holdId) || area.ended.has(ended.holdId)) {
      throw new SeatInvariantError(`snapshot lists hold ${ended.holdId} twice`);
    }
    rememberEnded(area, state.endedHoldLimit, { ...ended });
  }
  for (const entry of snapshot.waitlist ?? []) {
    if (area.waitlist.has(entry.buyerId)) throw new SeatInvariantError(`snapshot lists buyer ${entry.buyerId} twice on a waiting list`);
    area.waitlist.set(entry.buyerId, { ...entry });
  }
  area.waitlistSeq = snapshot.waitlistSeq ?? 0;
  state.areas.set(key, area);
}

/**
 * Rebuilds a state from a snapshot (the parsed JSON of `toSnapshot`'s output). Throws
 * SeatInvariantError if the snapshot is malformed or not self-consistent.
 */
export function fromSnapshot(json: unknown): PartitionState {
  const parsed = SeatSnapshot.safeParse(json);
  if (!parsed.success) throw new SeatInvariantError("malformed seat snapshot", { cause: parsed.error });
  const state = createPartitionState({ endedHoldLimit: parsed.data.endedHoldLimit });
  for (const area of parsed.data.areas) restoreArea(state, area);
  return state;
}

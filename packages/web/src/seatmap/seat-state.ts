import type { SeatMapSparseView, SeatsUpdate } from "@rush/contracts";
import { SPARSE_STATUSES, type SparseStatus, forEachSeatInRuns } from "@rush/contracts/seat-state-runs";
import type { SeatLayout } from "./layout.ts";

/** A seat's status as drawn. `none`: the session does not sell it (its area has no price). */
export const STATUS = { none: 0, available: 1, held: 2, sold: 3, mine: 4 } as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];
export type StatusName = keyof typeof STATUS;
export const STATUS_NAMES: readonly StatusName[] = ["none", "available", "held", "sold", "mine"];

/**
 * The live status of every seat. Each seat remembers the read-model version that set it, so a
 * snapshot (`GET …/seats`) and deltas (socket `seats`) can arrive in any order: a seat only
 * takes a value at least as new as the one it has.
 */
export interface SeatStatuses {
  readonly codes: Uint8Array;
  readonly versions: Float64Array;
  /** Highest version seen (snapshot or delta). */
  version: number;
  /** `seq` of the last delta applied, once the live feed has told us where it stands. */
  lastSeq: number | undefined;
  /** Seats of the buyer's own live holds: a live `held` for these means `mine`. */
  readonly mine: Set<number>;
}

export function createSeatStatuses(layout: SeatLayout): SeatStatuses {
  return {
    codes: new Uint8Array(layout.count),
    versions: new Float64Array(layout.count).fill(-1),
    version: -1,
    lastSeq: undefined,
    mine: new Set(),
  };
}

function set(state: SeatStatuses, seat: number, status: "available" | "held" | "sold" | "mine", version: number): boolean {
  if (state.versions[seat]! > version) return false;
  state.versions[seat] = version;
  if (status === "mine") state.mine.add(seat);
  else if (status !== "held") state.mine.delete(seat);
  const code = status === "held" && state.mine.has(seat) ? STATUS.mine : STATUS[status];
  if (state.codes[seat] === code) return false;
  state.codes[seat] = code;
  return true;
}

/**
 * Applies `GET /v1/sessions/:id/seats?format=sparse`: every seat of a listed area takes the
 * status its runs name, or available; seats of unlisted areas stay as they are (not on sale).
 * Returns the seats whose drawn status changed.
 */
export function applySnapshot(state: SeatStatuses, layout: SeatLayout, view: SeatMapSparseView): number[] {
  const changed: number[] = [];
  const areas = new Map(layout.areas.map((area) => [area.id, area]));
  for (const sparse of view.areas) {
    const area = areas.get(sparse.id);
    if (!area) continue;
    const named = new Map<number, SparseStatus>();
    for (const status of SPARSE_STATUSES) {
      forEachSeatInRuns(sparse.id, sparse[status] ?? [], (id) => {
        const i = layout.index.get(id);
        if (i !== undefined) named.set(i, status);
      });
    }
    for (let i = area.start; i < area.end; i++) if (set(state, i, named.get(i) ?? "available", view.version)) changed.push(i);
  }
  state.version = Math.max(state.version, view.version);
  return changed;
}

export type DeltaOutcome =
  /** Applied (possibly changing nothing); `gap` says a delta before it was missed: refetch. */
  | { kind: "applied"; changed: number[]; gap: boolean }
  /** A delta already seen (same or older `seq`): nothing to do. */
  | { kind: "duplicate" };

/** Applies a live `seats` delta, telling a missed one (a skipped `seq`) apart. */
export function applyDelta(state: SeatStatuses, layout: SeatLayout, update: SeatsUpdate): DeltaOutcome {
  if (state.lastSeq !== undefined && update.seq <= state.lastSeq) return { kind: "duplicate" };
  const gap = state.lastSeq !== undefined && update.seq !== state.lastSeq + 1;
  state.lastSeq = update.seq;
  const changed: number[] = [];
  for (const change of update.changes) {
    const i = layout.index.get(change.id);
    if (i !== undefined && set(state, i, change.status, update.version)) changed.push(i);
  }
  state.version = Math.max(state.version, update.version);
  return { kind: "applied", changed, gap };
}

/** Where the live feed stands after (re)subscribing: deltas after `seq` follow. */
export function resetFeed(state: SeatStatuses, seq: number): void {
  state.lastSeq = seq;
}

/** Marks seats as the buyer's own (a hold just granted) or takes them back (released, expired). */
export function setMine(state: SeatStatuses, seats: Iterable<number>, mine: boolean): number[] {
  const changed: number[] = [];
  for (const i of seats) {
    if (mine) {
      state.mine.add(i);
      if (state.codes[i] !== STATUS.mine) {
        state.codes[i] = STATUS.mine;
        changed.push(i);
      }
    } else if (state.mine.delete(i) && state.codes[i] === STATUS.mine) {
      state.codes[i] = STATUS.held;
      changed.push(i);
    }
  }
  return changed;
}

/** Seats known to be taken by someone else right now (a 409's `unavailable` list), until the feed says more. */
export function markTaken(state: SeatStatuses, seats: Iterable<number>): number[] {
  const changed: number[] = [];
  for (const i of seats) {
    if (state.codes[i] === STATUS.available && !state.mine.has(i)) {
      state.codes[i] = STATUS.held;
      changed.push(i);
    }
  }
  return changed;
}

export const statusName = (state: SeatStatuses, seat: number): StatusName => STATUS_NAMES[state.codes[seat]!] ?? "none";

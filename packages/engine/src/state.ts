import type { EndedHoldStatus, HoldRejectReason, SeatAreaConfig, SeatStatus } from "@rush/contracts";

/**
 * The in-memory state of ONE partition's seat actor: every session area that hashes to it.
 *
 * Built for speed, not immutability: `evolve` mutates it in place (a flash sale applies ~10^5
 * commands/s to maps of thousands of seats, so copying per command would be the bottleneck).
 * Treat a state as owned by one actor loop; use `toSnapshot` to compare or persist it.
 */
export interface PartitionState {
  /** Keyed by {@link areaKey}. */
  readonly areas: Map<string, AreaState>;
  /** How many ended hold ids each area remembers to answer duplicates (FIFO). */
  readonly endedHoldLimit: number;
}

/** One session's area: its seats, rows, holds and sale config. */
export interface AreaState {
  readonly sessionId: string;
  readonly areaId: string;
  config: SeatAreaConfig;
  readonly seats: Map<string, SeatSlot>;
  /** Front row first (the order rows first appeared in a load). */
  readonly rows: RowState[];
  readonly rowByLabel: Map<string, number>;
  /** Live holds by holdId. */
  readonly holds: Map<string, LiveHold>;
  /** Sold holds by holdId (at most one per seat, so bounded by the area's size). */
  readonly sold: Map<string, SoldHold>;
  /** Recently ended hold ids, oldest first (Map keeps insertion order); bounded by endedHoldLimit. */
  readonly ended: Map<string, EndedHold>;
  /** Seats in each buyer's live holds plus seats sold to them (derived; not in snapshots). */
  readonly buyerSeats: Map<string, number>;
  /** Available seats in the area (derived). */
  available: number;
  /** The waiting list by buyerId, front first (a Map keeps insertion order). */
  readonly waitlist: Map<string, WaitEntry>;
  /** The last join's `seq`: grows with every join, so the list's order survives snapshots. */
  waitlistSeq: number;
  /**
   * Bumped by every event naming the area (derived; not in snapshots). A snapshot encoder keeps
   * an unchanged area's text instead of encoding it again (`createSnapshotEncoder`).
   */
  revision: number;
}

/** A buyer waiting for `quantity` seats of a sold-out area. */
export interface WaitEntry {
  /** Also the id of the offer's hold, and so of its order. */
  readonly entryId: string;
  readonly buyerId: string;
  readonly quantity: number;
  /** How long an offer to this buyer stays held. */
  readonly offerTtlMs: number;
  readonly seq: number;
  readonly joinedAt: number;
}

export interface SeatSlot {
  readonly id: string;
  /** Index of the seat's row in `AreaState.rows`. */
  readonly row: number;
  readonly number: number;
  /** Position inside its row's `seats`; shifts only when a reload inserts seats. */
  index: number;
  status: SeatStatus;
  /** The hold that holds or bought the seat, else null. */
  holdId: string | null;
}

export interface RowState {
  readonly label: string;
  /** Ascending seat number. */
  readonly seats: SeatSlot[];
  /** Available seats in the row (derived). */
  available: number;
  /** Midpoint of the row's lowest and highest seat number. */
  centre: number;
}

export interface LiveHold {
  readonly holdId: string;
  readonly buyerId: string;
  readonly seatIds: readonly string[];
  readonly createdAt: number;
  expiresAt: number;
  /** createdAt + holdTtlMs + maxHoldExtensionMs under the config of the hold's creation. */
  readonly maxExpiresAt: number;
}

export interface SoldHold {
  readonly holdId: string;
  readonly buyerId: string;
  readonly paymentId: string;
  readonly seatIds: readonly string[];
  readonly soldAt: number;
}

export interface EndedHold {
  readonly holdId: string;
  readonly buyerId: string;
  readonly status: EndedHoldStatus;
  readonly reason?: HoldRejectReason;
}

/** Default for {@link PartitionState.endedHoldLimit}. */
export const DEFAULT_ENDED_HOLD_LIMIT = 50_000;

/** An empty partition. `endedHoldLimit` must be the same on every replica and replay of the log. */
export function createPartitionState(options: { endedHoldLimit?: number } = {}): PartitionState {
  const endedHoldLimit = options.endedHoldLimit ?? DEFAULT_ENDED_HOLD_LIMIT;
  if (!Number.isInteger(endedHoldLimit) || endedHoldLimit < 1) {
    throw new RangeError(`endedHoldLimit must be a positive integer, got ${endedHoldLimit}`);
  }
  return { areas: new Map(), endedHoldLimit };
}

/** The key of a session's area in `PartitionState.areas`. */
export const areaKey = (sessionId: string, areaId: string): string => `${sessionId}/${areaId}`;

export function findArea(state: PartitionState, sessionId: string, areaId: string): AreaState | undefined {
  return state.areas.get(areaKey(sessionId, areaId));
}

/** Orders seats front row first, then by number: the order seat lists are emitted in. */
export const venueOrder = (a: SeatSlot, b: SeatSlot): number => a.row - b.row || a.number - b.number;

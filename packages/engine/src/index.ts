/**
 * @rush/engine: the pure seat actor of one partition (DESIGN.md §3). No clock, randomness,
 * logging or I/O: the shell feeds parsed commands in stream order and does the I/O.
 *
 *   const state = createPartitionState();        // or fromSnapshot(kvValue)
 *   const { events } = apply(state, command);    // state is mutated in place
 */

/** Partition state and its parts. `evolve`/`apply` mutate it in place. */
export {
  type AreaState,
  createPartitionState,
  DEFAULT_ENDED_HOLD_LIMIT,
  type EndedHold,
  type LiveHold,
  type PartitionState,
  type RowState,
  type SeatSlot,
  type SoldHold,
  type WaitEntry,
} from "./state.ts";
/** decide(state, command) → events: what a command means; reads the state, never writes it. */
export { decide } from "./decide.ts";
/** evolve(state, event) → state: applies one event, mutating the state in place. */
export { evolve } from "./evolve.ts";
/** apply(state, command) → { state, events }: decide, then evolve each event. */
export { apply } from "./apply.ts";
/** Canonical plain-JSON snapshot of a state, and the way back. */
export { createSnapshotEncoder, fromSnapshot, toSnapshot } from "./snapshot.ts";
/** The current outcome of a hold id (answers duplicates and queries). */
export { holdView } from "./hold-view.ts";
/** Read-only queries for read models and tests. */
export { type AreaStats, areaStats, seatMap, seatState } from "./queries.ts";
/** Expiry scheduling helpers: which holds to append ExpireHold for, and when. */
export { dueExpiries, expireHoldCommand, type HoldExpiry, liveHoldExpiries, nextExpiry } from "./expiries.ts";
/** Best-available seat choice (exposed for benches and tests; HoldBestAvailable uses it). */
export { chooseBestAvailable } from "./best-available.ts";
/** Exhaustiveness guard for switches over unions. */
export { assertNever } from "./assert-never.ts";
/** Thrown only for bugs: an event contradicting the state, or an inconsistent snapshot. */
export { SeatInvariantError } from "./errors.ts";

/**
 * Thrown only for bugs: an event that contradicts the state it is applied to (e.g. holding a
 * seat that is not available), or a snapshot that is not self-consistent. Business outcomes
 * are events, never this.
 */
export class SeatInvariantError extends Error {
  readonly code = "SEAT_INVARIANT";
  override readonly name = "SeatInvariantError";
}

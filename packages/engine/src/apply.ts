import type { SeatCommand, SeatEvent } from "@rush/contracts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import type { PartitionState } from "./state.ts";

/**
 * Decides a command and evolves the state with each resulting event, in order. Mutates and
 * returns the same state object (see PartitionState); the events are what to publish.
 */
export function apply(state: PartitionState, command: SeatCommand): { state: PartitionState; events: SeatEvent[] } {
  const events = decide(state, command);
  let next = state;
  for (const event of events) next = evolve(next, event);
  return { state: next, events };
}

import type { SeatCommand, SeatEvent } from "@rush/contracts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { decideNextOffer, freesSeats } from "./decide-waitlist.ts";
import type { PartitionState } from "./state.ts";

/**
 * Decides a command and evolves the state with each resulting event, in order. Mutates and
 * returns the same state object (see PartitionState); the events are what to publish.
 *
 * When the command gave seats back, the area's waiting list is offered them next, one offer at
 * a time on the state the previous one left, as part of the same command: a replay of the log
 * makes the same offers, and no other command can take the seats in between.
 */
export function apply(state: PartitionState, command: SeatCommand): { state: PartitionState; events: SeatEvent[] } {
  const events = decide(state, command);
  let next = state;
  let freed = false;
  for (const event of events) {
    next = evolve(next, event);
    if (!freed && freesSeats(event)) freed = true;
  }
  while (freed) {
    const offer = decideNextOffer(next, command);
    if (offer.length === 0) break;
    for (const event of offer) next = evolve(next, event);
    events.push(...offer);
  }
  return { state: next, events };
}

import type { SeatReply } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import { problems } from "../problems.ts";

/** `undefined` when the buyer is on the list (joined now or before); otherwise the problem to answer. */
export function joinProblemOf(reply: SeatReply): HttpProblem | undefined {
  for (const event of reply.events) {
    if (event.type === "WaitlistJoined" || event.type === "WaitlistAlreadyJoined") return undefined;
    if (event.type !== "WaitlistJoinRejected") continue;
    const reason = event.reason;
    switch (reason) {
      case "seats_available":
        return new HttpProblem(409, "seats_available", "Seats are available", `${event.available} seats of area ${event.areaId} are on sale: hold them instead`, {
          available: event.available,
        });
      case "limit_exceeded":
        return problems.limitExceeded("per_buyer");
      case "not_on_sale":
        return problems.notOnSale(`area ${event.areaId} is not on sale`);
      case "invalid":
        return new HttpProblem(409, "retry", "Try again", "the waiting-list entry could not be made; send the request again");
      default: {
        const unreachable: never = reason;
        throw new Error(`unknown waitlist reject ${String(unreachable)}`);
      }
    }
  }
  throw new Error(`command ${reply.commandId}: no waitlist outcome among ${reply.events.map((e) => e.type).join(", ")}`);
}

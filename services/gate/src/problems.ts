import { HttpProblem } from "@rush/service";

/**
 * The gate's catalogue of coded problems: every 4xx a buying endpoint answers is built here,
 * so codes stay stable and documented in one place.
 */
export const problems = {
  sessionNotFound: (sessionId: string) => new HttpProblem(404, "session_not_found", "Session not found", `no session ${sessionId}`),
  notOnSale: (detail = "the session is not on sale") => new HttpProblem(409, "not_on_sale", "Not on sale", detail),
  saleNotStarted: (startsAt: Date) =>
    new HttpProblem(403, "sale_not_started", "Sale not started", `the sale opens at ${startsAt.toISOString()}`, {
      saleStartsAt: startsAt.toISOString(),
    }),
  saleEnded: (endsAt: Date) =>
    new HttpProblem(409, "sale_ended", "Sale ended", `the sale closed at ${endsAt.toISOString()}`, { saleEndsAt: endsAt.toISOString() }),
  admissionRequired: (detail: string) => new HttpProblem(403, "admission_required", "Not admitted", detail),
  notInQueue: () => new HttpProblem(404, "not_in_queue", "Not in the queue", "join with POST first"),
  seatsSpanAreas: (areas: string[]) =>
    new HttpProblem(400, "seats_span_areas", "Seats in several areas", `one hold takes seats of one area; got ${areas.join(", ")}`, {
      areas,
    }),
  unknownArea: (areaId: string) => new HttpProblem(422, "unknown_area", "Unknown area", `the session sells no area ${areaId}`),
  unknownSeats: (seatIds: string[]) =>
    new HttpProblem(422, "unknown_seats", "Unknown seats", "some seats do not exist in this session", { unknown: seatIds }),
  unavailable: (seatIds: string[]) =>
    new HttpProblem(409, "unavailable", "Seats unavailable", "some seats are held or sold", { unavailable: seatIds }),
  limitExceeded: (limit: string | undefined) =>
    new HttpProblem(409, "limit_exceeded", "Seat limit exceeded", `the ${limit ?? "seat"} limit of this session was reached`, {
      ...(limit ? { limit } : {}),
    }),
  tooManyHolds: (max: number) =>
    new HttpProblem(409, "too_many_holds", "Too many live holds", `at most ${max} live holds per buyer in a session`, { max }),
  invalidHold: (detail: string) => new HttpProblem(400, "invalid_hold", "Invalid hold request", detail),
  holdNotFound: (holdId: string) => new HttpProblem(404, "hold_not_found", "Hold not found", `no hold ${holdId}`),
  notOwner: () => new HttpProblem(403, "not_owner", "Not your hold", "only the buyer who made a hold may see or release it"),
  holdSold: () => new HttpProblem(409, "hold_sold", "Hold already sold", "the seats of this hold are sold"),
  commandNotFound: (commandId: string) => new HttpProblem(404, "command_not_found", "Command not found", `no command ${commandId} of yours`),
  idempotencyMismatch: () =>
    new HttpProblem(
      422,
      "idempotency_key_reused",
      "Idempotency-Key reused",
      "this Idempotency-Key was used with another request; use a new key for a new request",
    ),
  notFound: (detail: string) => new HttpProblem(404, "not_found", "Not Found", detail),
  upstreamUnavailable: (detail: string) => new HttpProblem(503, "upstream_unavailable", "Service unavailable", detail, {}, { "retry-after": "5" }),
} as const;

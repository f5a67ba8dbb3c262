/**
 * Every Redis key the platform writes, in one place. Keys of one session share the hash tag
 * `{<sessionId>}` so a multi-seat Lua script and the session's read model live in one Redis
 * Cluster slot.
 */
export const redisKeys = {
  /** The fence: value = holdId, PX = the hold's time to live. */
  seatLock: (sessionId: string, seatId: string) => `seat:lock:{${sessionId}}:${seatId}`,
  /** Read model: hash seatId → status code (see `encodeSeatState`). */
  seatMap: (sessionId: string) => `seatmap:{${sessionId}}`,
  /** Read model version: bumped once per actor batch that changed the session. */
  seatMapVersion: (sessionId: string) => `seatmap:{${sessionId}}:v`,
  /**
   * The read model's change set: the seats of a session whose status changed since the last
   * live delta. The seat actor adds to it in the same pipeline as the change; a notification
   * instance takes it whole (with the statuses) when it sends the session's next delta.
   */
  seatChanges: (sessionId: string) => `notify:{${sessionId}}:dirty`,
  /** Sessions with a change set waiting for its delta: the actor adds them once the change set is written. */
  changedSessions: "notify:changed",
  /** A hold's current view (`HoldView` JSON plus `sessionId`), for `GET/DELETE /v1/holds/:id`. */
  hold: (holdId: string) => `hold:${holdId}`,
  /**
   * A session's waiting room (the gate writes it; notification reads it to push positions):
   * `queue` sorted set userId → place, `seq` the place counter, `admission` the admission
   * cursor hash (`cursor`, `last`).
   */
  waitingRoom: (sessionId: string) => ({
    queue: `wr:{${sessionId}}:q`,
    seq: `wr:{${sessionId}}:seq`,
    admission: `wr:{${sessionId}}:adm`,
  }),
  /**
   * An order the API has named (a granted hold's 201) but the order service may not have opened
   * yet: value = the buyer's id, PX = the hold's time to live. Lets pay answer "not yet, retry"
   * instead of 404 for an order that is on its way. Tagged by the buyer, so the gate writes it in
   * the script that stores the rest of the grant.
   */
  orderGrant: (buyerId: string, orderId: string) => `order:grant:{${buyerId}}:${orderId}`,
  /**
   * Waiting-list read model (the seat actor writes it with the session's other keys):
   * `queue(areaId)` sorted set buyerId → join seq (ZRANK + 1 = position), `buyer(buyerId)` hash
   * areaId → the buyer's entry as JSON (`WaitlistRecord`), kept after an offer to show it.
   */
  waitlist: (sessionId: string) => ({
    queue: (areaId: string) => `wl:{${sessionId}}:q:${areaId}`,
    buyer: (buyerId: string) => `wl:{${sessionId}}:b:${buyerId}`,
  }),
  /** A command's outcome (`SeatReply` JSON), for `GET /v1/commands/:id` and retried requests. */
  commandResult: (commandId: string) => `cmd:result:${commandId}`,
} as const;

/** How long a command's outcome stays answerable. */
export const COMMAND_RESULT_TTL_MS = 15 * 60_000;

/**
 * Read-model values: `a` available, `b` blocked, `s` sold, `h:<buyerId>` held (the buyer is kept
 * so the gate can show a buyer their own holds as `mine`).
 */
export type SeatState = "a" | "b" | "s" | `h:${string}`;

export function encodeHeld(buyerId: string): SeatState {
  return `h:${buyerId}`;
}

/** The public status of a read-model value, from `viewer`'s point of view. */
export function seatStatusFor(value: string, viewer?: string): "available" | "held" | "sold" | "blocked" | "mine" {
  if (value === "a") return "available";
  if (value === "s") return "sold";
  if (value === "b") return "blocked";
  return viewer !== undefined && value === `h:${viewer}` ? "mine" : "held";
}

/** A buyer's entry in the waiting-list read model: waiting, or offered `holdId` until `expiresAt`. */
export interface WaitlistRecord {
  entryId: string;
  areaId: string;
  quantity: number;
  status: "waiting" | "offered";
  seatIds?: string[];
  expiresAt?: number;
}

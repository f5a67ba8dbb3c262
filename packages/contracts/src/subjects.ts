/**
 * Every NATS subject and stream name in one place. Streams are defined as data in `nats/streams`;
 * these names must match them (checked by `bus` tests).
 */
export const STREAMS = {
  seatCommands: "SEAT_COMMANDS",
  seatEvents: "SEAT_EVENTS",
  orders: "ORDERS",
  payments: "PAYMENTS",
  deadLetters: "DEAD_LETTERS",
  users: "USERS",
  tickets: "TICKETS",
} as const;

export const KV_BUCKETS = {
  seatSnapshots: "seat_snapshots",
  partitionLeases: "partition_leases",
} as const;

/** Commands for one partition's actor, in stream order. */
export const seatCommandSubject = (partition: number): string => `seat.cmd.${partition}`;

/** Seat event kinds and their subject stems (`seat.<kind>.<partition>`), per DESIGN.md §3. */
export const SEAT_EVENT_SUBJECTS = {
  locked: "seat.locked",
  lockFailed: "seat.lock.failed",
  released: "seat.released",
  expired: "seat.expired",
  sold: "seat.sold",
  confirmFailed: "seat.confirm.failed",
  extended: "seat.extended",
  inventory: "seat.inventory",
  waitlist: "seat.waitlist",
} as const;

export type SeatEventKind = keyof typeof SEAT_EVENT_SUBJECTS;

export const seatEventSubject = (kind: SeatEventKind, partition: number): string =>
  `${SEAT_EVENT_SUBJECTS[kind]}.${partition}`;

/** Where an actor answers a gate that waits for a command's outcome (core NATS, not persisted). */
export const seatReplySubject = (gateId: string, commandId: string): string => `seat.reply.${gateId}.${commandId}`;

export const orderSubject = (event: string, orderId: string): string => `order.${event}.${orderId}`;
export const paymentSubject = (event: string, paymentId: string): string => `payment.${event}.${paymentId}`;

export const userSubject = (event: string, userId: string): string => `user.${event}.${userId}`;
export const ticketSubject = (event: string, ticketId: string): string => `ticket.${event}.${ticketId}`;

/** Where a consumer parks a message it can never process (DEAD_LETTERS, see nats/README.md). */
export const deadLetterSubject = (consumer: string): string => `dead.${consumer}`;

/** NATS header names carried on every message we publish. */
export const HEADERS = {
  correlationId: "correlation-id",
  traceparent: "traceparent",
  messageType: "rush-type",
} as const;

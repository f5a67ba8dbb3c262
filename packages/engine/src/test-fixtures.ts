import type {
  BlockSeats,
  CancelArea,
  RefundHold,
  ConfirmHold,
  ExpireHold,
  ExtendHold,
  HoldBestAvailable,
  HoldSeats,
  JoinWaitlist,
  LeaveWaitlist,
  LoadInventory,
  ReleaseHold,
  RevokeHold,
  SeatAreaConfig,
  SeatCommand,
  SeatDefinition,
  SeatEvent,
  UnblockSeats,
} from "@rush/contracts";
import { apply } from "./apply.ts";
import { createPartitionState, type PartitionState } from "./state.ts";

/** Test-only builders (not exported from the package). */

/** A valid v4 UUID made from a number, so ids stay readable in failures. */
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

export const SESSION = uuid(0xabc);

export const CONFIG: SeatAreaConfig = {
  holdTtlMs: 60_000,
  maxSeatsPerHold: 6,
  maxSeatsPerBuyer: 8,
  maxHoldExtensionMs: 120_000,
};

/** Seat definitions for rows given as `[label, [numbers...]]`, front row first. */
export function seatDefs(areaId: string, rows: readonly (readonly [string, readonly number[]])[]): SeatDefinition[] {
  return rows.flatMap(([row, numbers]) => numbers.map((number) => ({ id: `${areaId}-${row}-${number}`, row, number })));
}

/** Numbers from..to inclusive. */
export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let sequence = 0;

/** Command builders for one session's area. */
export function commandsFor(areaId = "A", sessionId = SESSION) {
  const base = (now: number) => ({ commandId: `cmd-${++sequence}`, sessionId, areaId, now });
  return {
    load: (seats: SeatDefinition[], config = CONFIG, now = 0): LoadInventory => ({
      ...base(now),
      type: "LoadInventory",
      seats,
      config,
    }),
    hold: (holdId: string, buyerId: string, seatIds: string[], now = 0): HoldSeats => ({
      ...base(now),
      type: "HoldSeats",
      holdId,
      buyerId,
      seatIds,
    }),
    best: (holdId: string, buyerId: string, quantity: number, now = 0): HoldBestAvailable => ({
      ...base(now),
      type: "HoldBestAvailable",
      holdId,
      buyerId,
      quantity,
    }),
    release: (holdId: string, buyerId: string, now = 0): ReleaseHold => ({
      ...base(now),
      type: "ReleaseHold",
      holdId,
      buyerId,
    }),
    extend: (holdId: string, byMs: number, now = 0, buyerId?: string): ExtendHold =>
      buyerId === undefined
        ? { ...base(now), type: "ExtendHold", holdId, byMs }
        : { ...base(now), type: "ExtendHold", holdId, byMs, buyerId },
    expire: (holdId: string, now = 0): ExpireHold => ({ ...base(now), type: "ExpireHold", holdId }),
    confirm: (holdId: string, paymentId: string, now = 0): ConfirmHold => ({
      ...base(now),
      type: "ConfirmHold",
      holdId,
      paymentId,
    }),
    revoke: (holdId: string, now = 0): RevokeHold => ({ ...base(now), type: "RevokeHold", holdId, reason: "fence" }),
    block: (seatIds: string[], now = 0): BlockSeats => ({ ...base(now), type: "BlockSeats", seatIds }),
    unblock: (seatIds: string[], now = 0): UnblockSeats => ({ ...base(now), type: "UnblockSeats", seatIds }),
    refund: (holdId: string, now = 0): RefundHold => ({ ...base(now), type: "RefundHold", holdId }),
    cancel: (now = 0): CancelArea => ({ ...base(now), type: "CancelArea" }),
    join: (entryId: string, buyerId: string, quantity: number, now = 0, offerTtlMs = 5_000): JoinWaitlist => ({
      ...base(now),
      type: "JoinWaitlist",
      entryId,
      buyerId,
      quantity,
      offerTtlMs,
    }),
    leave: (buyerId: string, now = 0): LeaveWaitlist => ({ ...base(now), type: "LeaveWaitlist", buyerId }),
  };
}

/** A fresh state with area `areaId` loaded with `rows`. */
export function loaded(
  rows: readonly (readonly [string, readonly number[]])[],
  config = CONFIG,
  areaId = "A",
): PartitionState {
  const state = createPartitionState();
  apply(state, commandsFor(areaId).load(seatDefs(areaId, rows), config));
  return state;
}

/** Applies commands in order; returns the events of the last one. */
export function run(state: PartitionState, ...commands: SeatCommand[]): SeatEvent[] {
  let events: SeatEvent[] = [];
  for (const command of commands) events = apply(state, command).events;
  return events;
}

/** The single event of a list, narrowed to `type` (fails the test otherwise). */
export function only<T extends SeatEvent["type"]>(events: SeatEvent[], type: T): Extract<SeatEvent, { type: T }> {
  if (events.length !== 1 || events[0]!.type !== type) {
    throw new Error(`expected one ${type}, got ${JSON.stringify(events.map((e) => e.type))}`);
  }
  return events[0] as Extract<SeatEvent, { type: T }>;
}

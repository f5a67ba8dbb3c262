import {
  type BlockRejected,
  type BlockSeats,
  type LoadInventory,
  parseSeatId,
  SeatAreaConfig,
  type SeatEvent,
  type SeatsBlocked,
  type UnblockRejected,
  type UnblockSeats,
} from "@rush/contracts";
import { eventBase, repeatedIds } from "./event-base.ts";
import { type AreaState, findArea, type PartitionState, type SeatSlot, venueOrder } from "./state.ts";

/** Why a load is malformed, or undefined if it is fine. The gate's zod parse checks the same. */
function loadProblem(command: LoadInventory): string | undefined {
  const config = SeatAreaConfig.safeParse(command.config);
  if (!config.success) return `invalid config: ${config.error.issues.map((issue) => issue.message).join("; ")}`;
  const seen = new Set<string>();
  for (const seat of command.seats) {
    const parts = parseSeatId(seat.id);
    if (parts?.areaId !== command.areaId || parts.row !== seat.row || parts.number !== seat.number) {
      return `seat ${seat.id} is not ${command.areaId}-${seat.row}-${seat.number}`;
    }
    if (seen.has(seat.id)) return `seat ${seat.id} is listed twice`;
    seen.add(seat.id);
  }
  return undefined;
}

const sameConfig = (a: SeatAreaConfig, b: SeatAreaConfig): boolean =>
  a.holdTtlMs === b.holdTtlMs &&
  a.maxSeatsPerHold === b.maxSeatsPerHold &&
  a.maxSeatsPerBuyer === b.maxSeatsPerBuyer &&
  a.maxHoldExtensionMs === b.maxHoldExtensionMs;

/**
 * LoadInventory: opens an area, or adds the seats it lacks and takes the new config. Nothing
 * at all if both are already in place, so a reload never disturbs held, sold or blocked seats.
 */
export function decideLoad(state: PartitionState, command: LoadInventory): SeatEvent[] {
  const problem = loadProblem(command);
  if (problem !== undefined) {
    return [{ ...eventBase(command), type: "InventoryRejected", reason: "invalid", detail: problem }];
  }
  const area = findArea(state, command.sessionId, command.areaId);
  const added = area === undefined ? command.seats : command.seats.filter((seat) => !area.seats.has(seat.id));
  if (area !== undefined && added.length === 0 && sameConfig(area.config, command.config)) return [];
  const { holdTtlMs, maxSeatsPerHold, maxSeatsPerBuyer, maxHoldExtensionMs } = command.config;
  return [
    {
      ...eventBase(command),
      type: "InventoryLoaded",
      seats: added.map((seat) => ({ ...seat })),
      config: { holdTtlMs, maxSeatsPerHold, maxSeatsPerBuyer, maxHoldExtensionMs },
      seatCount: (area?.seats.size ?? 0) + added.length,
    },
  ];
}

/** Resolves a block/unblock seat list, or says why it cannot be. */
function resolveSeats(
  area: AreaState,
  seatIds: readonly string[],
): { slots: SeatSlot[] } | { reason: "invalid" | "unknown_seats"; unavailable: string[] } {
  if (seatIds.length === 0) return { reason: "invalid", unavailable: [] };
  const repeated = repeatedIds(seatIds);
  if (repeated.length > 0) return { reason: "invalid", unavailable: repeated };
  const slots: SeatSlot[] = [];
  const unknown: string[] = [];
  for (const id of seatIds) {
    const slot = area.seats.get(id);
    if (slot === undefined) unknown.push(id);
    else slots.push(slot);
  }
  return unknown.length > 0 ? { reason: "unknown_seats", unavailable: unknown } : { slots };
}

/** BlockSeats: hold seats back from sale. Rejected, naming them, if any is held or sold. */
export function decideBlock(state: PartitionState, command: BlockSeats): SeatEvent[] {
  const reject = (reason: BlockRejected["reason"], unavailable: string[]): SeatEvent[] => [
    { ...eventBase(command), type: "BlockRejected", reason, unavailable },
  ];
  const area = findArea(state, command.sessionId, command.areaId);
  if (area === undefined) return reject("not_on_sale", []);
  const resolved = resolveSeats(area, command.seatIds);
  if (!("slots" in resolved)) return reject(resolved.reason, resolved.unavailable);
  const taken = resolved.slots.filter((slot) => slot.status === "held" || slot.status === "sold");
  if (taken.length > 0)
    return reject(
      "unavailable",
      taken.sort(venueOrder).map((slot) => slot.id),
    );
  const toBlock = resolved.slots.filter((slot) => slot.status === "available").sort(venueOrder);
  if (toBlock.length === 0) return [];
  const event: SeatsBlocked = { ...eventBase(command), type: "SeatsBlocked", seatIds: toBlock.map((slot) => slot.id) };
  if (command.reason !== undefined) event.reason = command.reason;
  return [event];
}

/** UnblockSeats: put blocked seats back on sale; seats that are not blocked are left alone. */
export function decideUnblock(state: PartitionState, command: UnblockSeats): SeatEvent[] {
  const reject = (reason: UnblockRejected["reason"], unavailable: string[]): SeatEvent[] => [
    { ...eventBase(command), type: "UnblockRejected", reason, unavailable },
  ];
  const area = findArea(state, command.sessionId, command.areaId);
  if (area === undefined) return reject("not_on_sale", []);
  const resolved = resolveSeats(area, command.seatIds);
  if (!("slots" in resolved)) return reject(resolved.reason, resolved.unavailable);
  const toUnblock = resolved.slots.filter((slot) => slot.status === "blocked").sort(venueOrder);
  if (toUnblock.length === 0) return [];
  return [{ ...eventBase(command), type: "SeatsUnblocked", seatIds: toUnblock.map((slot) => slot.id) }];
}

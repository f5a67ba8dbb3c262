import {
  type LoadInventory,
  MAX_SEATS_PER_LOAD,
  type PriceCategory,
  type SeatAreaConfig,
  type SeatDefinition,
  type SeatMap,
  partitionOf,
} from "@rush/contracts";

/** One area's loads, to be sent in order (rows rank in the order the actor first sees them). */
export interface AreaLoadPlan {
  areaId: string;
  partition: number;
  seats: number;
  commands: LoadInventory[];
}

/**
 * Bytes of seat JSON per command. JetStream caps a message at 1 MiB, and the actor's reply and
 * `InventoryLoaded` event carry the same seats again, so stay well below.
 */
export const LOAD_BYTES_BUDGET = 384 * 1024;

/**
 * Splits a list of seats into chunks of at most `maxBytes` of JSON and `MAX_SEATS_PER_LOAD`
 * seats. Deterministic: the same seats always split the same way, so chunk numbers can name
 * commands and a re-publish repeats the same command ids.
 */
export function chunkSeats(seats: readonly SeatDefinition[], maxBytes = LOAD_BYTES_BUDGET): SeatDefinition[][] {
  const chunks: SeatDefinition[][] = [];
  let current: SeatDefinition[] = [];
  let bytes = 0;
  for (const seat of seats) {
    const size = JSON.stringify(seat).length + 1;
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= MAX_SEATS_PER_LOAD)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(seat);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The `LoadInventory` commands that open a session: one chain per priced area (areas named by
 * no price category are not on sale), command ids `load:<sessionId>:<areaId>:<chunk>`.
 */
export function planInventory(options: {
  sessionId: string;
  seatMap: SeatMap;
  priceCategories: readonly PriceCategory[];
  config: SeatAreaConfig;
  now: number;
  partitions: number;
}): AreaLoadPlan[] {
  const categoryOf = new Map<string, string>();
  for (const category of options.priceCategories) for (const areaId of category.areaIds) categoryOf.set(areaId, category.id);
  return options.seatMap.areas
    .filter((area) => categoryOf.has(area.id))
    .map((area) => {
      const priceCategoryId = categoryOf.get(area.id)!;
      const seats: SeatDefinition[] = area.rows.flatMap((row) =>
        row.seats.map((seat) => ({
          id: seat.id,
          row: row.label,
          number: seat.number,
          ...(seat.x !== undefined ? { x: seat.x } : {}),
          ...(seat.y !== undefined ? { y: seat.y } : {}),
          priceCategoryId,
        })),
      );
      const commands = chunkSeats(seats).map(
        (chunk, i): LoadInventory => ({
          type: "LoadInventory",
          commandId: `load:${options.sessionId}:${area.id}:${i}`,
          sessionId: options.sessionId,
          areaId: area.id,
          now: options.now,
          seats: chunk,
          config: options.config,
        }),
      );
      return { areaId: area.id, partition: partitionOf(options.sessionId, area.id, options.partitions), seats: seats.length, commands };
    });
}

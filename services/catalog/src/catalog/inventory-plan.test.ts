import { LoadInventory, MAX_SEATS_PER_LOAD, SeatMapInput, partitionOf } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { chunkSeats, planInventory } from "./inventory-plan.ts";
import { expandSeatMap } from "./seat-map.ts";

const SESSION = "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10";
const CATEGORY = "c4a0a4a2-1111-4c3e-9f00-000000000001";
const config = { holdTtlMs: 600_000, maxSeatsPerHold: 10, maxSeatsPerBuyer: 10, maxHoldExtensionMs: 600_000 };

describe("inventory plan", () => {
  const seatMap = expandSeatMap(
    SeatMapInput.parse({
      areas: [
        { id: "A", name: "A", rowCount: 100, seatsPerRow: 100, layout: {} },
        { id: "B", name: "B", rowCount: 2, seatsPerRow: 3 },
        { id: "Unpriced", name: "U", rowCount: 1, seatsPerRow: 1 },
      ],
    }),
  ).seatMap;
  const plan = planInventory({
    sessionId: SESSION,
    seatMap,
    priceCategories: [{ id: CATEGORY, name: "All", areaIds: ["B", "A"], price: { amount: "1.00", currency: "EUR" } }],
    config,
    now: 1_000,
    partitions: 64,
  });

  it("inventory: one chain per priced area, in seat map order, on the area's partition", () => {
    expect(plan.map((a) => [a.areaId, a.seats, a.partition])).toEqual([
      ["A", 10_000, partitionOf(SESSION, "A")],
      ["B", 6, partitionOf(SESSION, "B")],
    ]);
  });

  it("inventory: chunks are valid LoadInventory commands with deterministic ids, each under the byte budget", () => {
    const a = plan[0]!;
    expect(a.commands.length).toBeGreaterThan(1);
    a.commands.forEach((command, i) => {
      expect(LoadInventory.safeParse(command).success).toBe(true);
      expect(command.commandId).toBe(`load:${SESSION}:A:${i}`);
      expect(JSON.stringify(command).length).toBeLessThan(512 * 1024);
    });
    expect(a.commands.flatMap((c) => c.seats).map((s) => s.id)).toEqual(seatMap.areas[0]!.rows.flatMap((r) => r.seats.map((s) => s.id)));
    expect(a.commands[0]!.seats[0]).toMatchObject({ id: "A-1-1", row: "1", number: 1, x: 0, y: 0, priceCategoryId: CATEGORY });
  });

  it("inventory: chunking is deterministic and honours the seat cap", () => {
    const seats = Array.from({ length: MAX_SEATS_PER_LOAD + 5 }, (_, i) => ({ id: `A-1-${i + 1}`, row: "1", number: i + 1 }));
    const chunks = chunkSeats(seats, Number.MAX_SAFE_INTEGER);
    expect(chunks.map((c) => c.length)).toEqual([MAX_SEATS_PER_LOAD, 5]);
    expect(chunkSeats(seats, 100_000).map((c) => c.length)).toEqual(chunkSeats(seats, 100_000).map((c) => c.length));
  });
});

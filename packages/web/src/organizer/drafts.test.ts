import { CreateSessionRequest, CreateVenueRequest } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { areaProblems, localOf, priceOf, seatMapOf, sessionBodyOf } from "./drafts.ts";

describe("organizer drafts", () => {
  const areas = [
    { id: "A", name: "Left", rowCount: 10, seatsPerRow: 20 },
    { id: "B", name: "Right", rowCount: 6, seatsPerRow: 12 },
  ];

  it("organizer: the venue body passes the catalog's schema, areas laid side by side", () => {
    const seatMap = seatMapOf(areas);
    expect(CreateVenueRequest.safeParse({ name: "Hall", address: "1 Main St", seatMap }).success).toBe(true);
    expect(seatMap.areas[1]!.layout).toMatchObject({ x: 24, y: 2 });
  });

  it("organizer: area mistakes are named before the round trip", () => {
    expect(areaProblems(areas)).toEqual([]);
    expect(areaProblems([{ id: "A-1", name: "", rowCount: 0, seatsPerRow: 5 }, { id: "A-1", name: "x", rowCount: 1, seatsPerRow: 1 }])).toHaveLength(5);
  });

  it("organizer: prices are normalised to decimal strings", () => {
    expect(priceOf("45")).toBe("45.00");
    expect(priceOf("45,5")).toBe("45.50");
    expect(priceOf("4.555")).toBeUndefined();
    expect(priceOf("abc")).toBeUndefined();
  });

  it("organizer: the session body passes the catalog's schema", () => {
    const now = Date.now();
    const built = sessionBodyOf({
      startsAt: localOf(now + 10 * 86_400_000),
      endsAt: localOf(now + 10 * 86_400_000 + 7_200_000),
      saleStartsAt: localOf(now),
      saleEndsAt: localOf(now + 9 * 86_400_000),
      currency: "EUR",
      categories: [
        { name: "Front", amount: "80", areaIds: ["A"] },
        { name: "Back", amount: "40.5", areaIds: ["B"] },
      ],
      holdTtlSeconds: 600,
      maxSeatsPerHold: 6,
      waitingRoom: true,
      admitPerSecond: 20,
    });
    if (!built.ok) throw new Error(built.problems.join(" "));
    const parsed = CreateSessionRequest.safeParse(built.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(built.body.priceCategories[1]!.price).toEqual({ amount: "40.50", currency: "EUR" });
  });
});

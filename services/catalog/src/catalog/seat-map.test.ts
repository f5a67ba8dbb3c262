import { CreateSessionRequest, MAX_VENUE_SEATS, SeatMapInput } from "@rush/contracts";
import { describe, expect, it } from "vitest";
import { expandSeatMap } from "./seat-map.ts";

const parse = (areas: unknown[]) => SeatMapInput.safeParse({ areas });
const messages = (result: ReturnType<typeof parse>) => (result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));

describe("seat map", () => {
  it("seat map: expands rowCount × seatsPerRow into rows 1…n, seats 1…m, ids <area>-<row>-<n>", () => {
    const input = SeatMapInput.parse({ areas: [{ id: "A", name: "Stalls", rowCount: 2, seatsPerRow: 3 }] });
    const { seatMap, capacity, areas } = expandSeatMap(input);
    expect(capacity).toBe(6);
    expect(areas).toEqual([{ id: "A", name: "Stalls", seatCount: 6 }]);
    expect(seatMap.areas[0]!.rows.map((r) => r.label)).toEqual(["1", "2"]);
    expect(seatMap.areas[0]!.rows[1]!.seats.map((s) => s.id)).toEqual(["A-2-1", "A-2-2", "A-2-3"]);
  });

  it("seat map: a layout places generated seats (rows run along the rotation)", () => {
    const input = SeatMapInput.parse({ areas: [{ id: "B", name: "B", rowCount: 2, seatsPerRow: 2, layout: { x: 10, y: 20, rotation: 90, seatSpacing: 2 } }] });
    const seats = expandSeatMap(input).seatMap.areas[0]!.rows.flatMap((r) => r.seats);
    expect(seats.map(({ x, y }) => [x, y])).toEqual([[10, 20], [10, 22], [9, 20], [9, 22]]);
  });

  it("seat map: explicit rows keep their order and coordinates; explicit and generated areas mix", () => {
    const input = SeatMapInput.parse({
      areas: [
        { id: "VIP", name: "VIP", rows: [{ label: "AA", seats: [{ number: 2, x: 1.5, y: 2 }, { number: 1 }] }] },
        { id: "G", name: "General", rowCount: 1, seatsPerRow: 1 },
      ],
    });
    const { seatMap, capacity } = expandSeatMap(input);
    expect(capacity).toBe(3);
    expect(seatMap.areas[0]!.rows[0]!.seats).toEqual([{ id: "VIP-AA-2", number: 2, x: 1.5, y: 2 }, { id: "VIP-AA-1", number: 1 }]);
  });

  it("seat map: duplicate seat ids, rows and areas are named", () => {
    const result = parse([
      { id: "A", name: "A", rows: [{ label: "1", seats: [{ number: 1 }, { number: 1 }] }, { label: "1", seats: [{ number: 2 }] }] },
      { id: "A", name: "again", rowCount: 1, seatsPerRow: 1 },
    ]);
    expect(messages(result)).toEqual([
      "areas.0.rows.0.seats.1.number: duplicate seat id A-1-1",
      "areas.0.rows.1.label: duplicate row A-1",
      "areas.1.id: duplicate area id A",
    ]);
  });

  it("seat map: refuses ids with the separator, empty maps, half-given or doubly-given areas", () => {
    expect(messages(parse([{ id: "A-B", name: "x", rowCount: 1, seatsPerRow: 1 }]))[0]).toMatch(/^areas\.0\.id/);
    expect(parse([]).success).toBe(false);
    expect(messages(parse([{ id: "A", name: "x", rowCount: 3 }]))).toEqual(["areas.0.seatsPerRow: give rows, or both rowCount and seatsPerRow"]);
    expect(messages(parse([{ id: "A", name: "x", rowCount: 1, seatsPerRow: 1, rows: [{ label: "1", seats: [{ number: 1 }] }] }]))).toEqual([
      "areas.0.rows: give either rows or rowCount × seatsPerRow, not both",
    ]);
    expect(parse([{ id: "A", name: "x", rows: [{ label: "1", seats: [{ number: 0 }] }] }]).success).toBe(false);
  });

  it("seat map: at most 100,000 seats; exactly 100,000 is fine", () => {
    const areas = (perArea: number) => Array.from({ length: 10 }, (_, i) => ({ id: `S${i}`, name: `S${i}`, rowCount: 100, seatsPerRow: perArea / 100 }));
    expect(parse(areas(10_000)).success).toBe(true);
    expect(expandSeatMap(SeatMapInput.parse({ areas: areas(10_000) })).capacity).toBe(MAX_VENUE_SEATS);
    expect(messages(parse([...areas(10_000), { id: "X", name: "X", rowCount: 1, seatsPerRow: 1 }]))).toEqual([
      "areas: 100001 seats: a venue has at most 100000",
    ]);
  });

  it("seat map: a map repeating one seat 5,000 times reports a bounded number of issues", () => {
    const seats = Array.from({ length: 1000 }, () => ({ number: 7 }));
    const result = parse(Array.from({ length: 5 }, (_, i) => ({ id: `A${i}`, name: "x", rows: [{ label: "1", seats }] })));
    expect(messages(result)).toHaveLength(20);
  });
});

describe("session request", () => {
  const base = {
    startsAt: "2030-06-01T19:00:00Z",
    endsAt: "2030-06-01T22:00:00Z",
    saleStartsAt: "2030-05-01T10:00:00Z",
    saleEndsAt: "2030-06-01T18:00:00Z",
    priceCategories: [{ name: "Cat 1", areaIds: ["A"], price: { amount: "45.00", currency: "EUR" } }],
  };
  const issues = (body: object) => {
    const result = CreateSessionRequest.safeParse(body);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("sessions: a well-formed session passes with defaults", () => {
    expect(CreateSessionRequest.parse(base)).toMatchObject({ holdTtlSeconds: 600, maxSeatsPerHold: 10 });
  });

  it("sessions: ending before starting, sale windows backwards or past the end are refused", () => {
    expect(issues({ ...base, endsAt: "2030-06-01T18:00:00Z" })).toContain("endsAt: must be after startsAt");
    expect(issues({ ...base, saleEndsAt: "2030-04-01T00:00:00Z" })).toContain("saleEndsAt: must be after saleStartsAt");
    expect(issues({ ...base, saleEndsAt: "2030-06-02T00:00:00Z" })).toContain("saleEndsAt: must not be after endsAt");
  });

  it("sessions: an area in two categories, mixed currencies, float prices are refused", () => {
    const twice = { ...base, priceCategories: [...base.priceCategories, { name: "Cat 2", areaIds: ["B", "A"], price: { amount: "10", currency: "USD" } }] };
    expect(issues(twice)).toEqual(["priceCategories.1.price.currency: one currency per session", "priceCategories.1.areaIds.1: area A is already in Cat 1"]);
    expect(issues({ ...base, priceCategories: [{ name: "x", areaIds: ["A"], price: { amount: 45.5, currency: "EUR" } }] })).toHaveLength(1);
  });
});

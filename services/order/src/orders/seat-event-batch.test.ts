import type { BatchItem } from "@rush/bus";
import type { SeatStreamMessage } from "@rush/contracts";
import type { JsMsg } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { planSeatEvents } from "./seat-event-batch.ts";

const buyer = "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b";
const hold = (n: number) => `0b9c2d4e-1f2a-4b3c-8d4e-${String(n).padStart(12, "0")}`;
const base = { commandId: "cmd", sessionId: "7f0c1b9e-7d7e-4a51-9d7e-2f1f4c1e9a10", areaId: "A", at: 1 };
const seatIds = ["A-1-1"];

const held = (n: number, buyerId = buyer): SeatStreamMessage => ({
  ...base, type: "SeatsHeld", holdId: hold(n), buyerId, seatIds, expiresAt: 2, maxExpiresAt: 3, mode: "seats",
});
const extended = (n: number): SeatStreamMessage => ({
  ...base, type: "HoldExtended", holdId: hold(n), buyerId: buyer, seatIds, previousExpiresAt: 2, expiresAt: 3, maxExpiresAt: 3, capped: false,
});
const sold = (n: number): SeatStreamMessage => ({ ...base, type: "SeatsSold", holdId: hold(n), paymentId: hold(900 + n), buyerId: buyer, seatIds });
const rejected = (n: number): SeatStreamMessage => ({ ...base, type: "HoldRejected", holdId: hold(n), buyerId: buyer, reason: "unavailable", unavailable: seatIds });

const items = (...messages: SeatStreamMessage[]): BatchItem<SeatStreamMessage>[] =>
  messages.map((value) => ({ value, trace: { correlationId: "c", traceparent: "t" }, msg: {} as JsMsg }));
const typesOf = (lane: BatchItem<SeatStreamMessage>[]) => lane.map((item) => `${item.value.type}:${"holdId" in item.value ? item.value.holdId.slice(-2) : "-"}`);

const released = (n: number): SeatStreamMessage => ({ ...base, type: "HoldReleased", holdId: hold(n), buyerId: buyer, seatIds });
const ids = (list: { value: SeatStreamMessage }[]) => list.map((item) => ("holdId" in item.value ? item.value.holdId.slice(-2) : "-"));

describe("seat event batches", () => {
  it("seat event batches: granted holds open together; pays (extensions, then the sale) go in one statement each, in their hold's order", () => {
    const plan = planSeatEvents(items(held(1), extended(2), held(3), sold(2), extended(1), held(4), sold(1), extended(3)));
    expect(ids(plan.opening)).toEqual(["01", "03", "04"]);
    expect(ids(plan.extensions)).toEqual(["01", "02", "03"]);
    expect(ids(plan.sales)).toEqual(["01", "02"]);
    expect(plan.lanes).toEqual([]);
  });

  it("seat event batches: any other sequence of a hold's events keeps its order in a lane of its own", () => {
    const plan = planSeatEvents(items(sold(5), held(5), sold(6), extended(6), extended(7), released(7), released(8)));
    expect(plan.opening).toEqual([]);
    expect(plan.extensions).toEqual([]);
    expect(plan.sales).toEqual([]);
    expect(plan.lanes.map(typesOf)).toEqual([
      ["SeatsSold:05", "SeatsHeld:05"],
      ["SeatsSold:06", "HoldExtended:06"],
      ["HoldExtended:07", "HoldReleased:07"],
      ["HoldReleased:08"],
    ]);
  });

  it("seat event batches: what concerns no order takes no lane; a hold with no buyer behind it is not opened", () => {
    const plan = planSeatEvents(items(rejected(6), held(6), held(7, "bench-buyer")));
    expect(ids(plan.opening)).toEqual(["06"]);
    expect(plan.lanes.map(typesOf)).toEqual([["SeatsHeld:07"]]);
  });
});

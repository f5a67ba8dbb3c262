import { decode, encode } from "@rush/bus";
import { seatStatusChange } from "@rush/contracts";
import { orderStreamSamples, seatStreamSamples } from "@rush/contracts/testing";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_CONSUMER_SCHEMAS } from "./feeds.ts";

// Built from the producers' schemas: one message of every type on `seat.>` and `order.>`.
describe("notification consumers' contract", () => {
  it.each(seatStreamSamples().map((m) => [m.type, m] as const))("notification consumers: seat.> delivers %s, which decodes and is decided", (type, message) => {
    const schema = NOTIFICATION_CONSUMER_SCHEMAS.seats;
    expect(decode(schema, encode(schema, message))).toMatchObject({ ok: true, value: { type } });
    // A refusal batch is ignored by `followSeats`; every single event has a seat-map decision.
    if (message.type !== "HoldRejectedBatch") expect(() => seatStatusChange(message)).not.toThrow();
  });

  it.each(orderStreamSamples().map((m) => [m.type, m] as const))("notification consumers: order.> delivers %s, which decodes", (type, message) => {
    const schema = NOTIFICATION_CONSUMER_SCHEMAS.orders;
    expect(decode(schema, encode(schema, message))).toMatchObject({ ok: true, value: { type } });
  });
});

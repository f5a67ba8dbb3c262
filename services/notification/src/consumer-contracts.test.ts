import { decode, encode } from "@rush/bus";
import { orderStreamSamples, seatStreamSamples } from "@rush/contracts/testing";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_CONSUMER_SCHEMAS } from "./feeds.ts";

// Built from the producers' schemas: one message of every type on `seat.waitlist.*` and `order.>`.
describe("notification consumers' contract", () => {
  it.each(seatStreamSamples().flatMap((m) => (m.type === "WaitlistJoined" || m.type === "WaitlistLeft" || m.type === "WaitlistOffered" ? [[m.type, m] as const] : [])))("notification consumers: seat.waitlist.* delivers %s, which decodes", (type, message) => {
    const schema = NOTIFICATION_CONSUMER_SCHEMAS.waitlist;
    expect(decode(schema, encode(schema, message))).toMatchObject({ ok: true, value: { type } });
  });

  it.each(orderStreamSamples().map((m) => [m.type, m] as const))("notification consumers: order.> delivers %s, which decodes", (type, message) => {
    const schema = NOTIFICATION_CONSUMER_SCHEMAS.orders;
    expect(decode(schema, encode(schema, message))).toMatchObject({ ok: true, value: { type } });
  });
});

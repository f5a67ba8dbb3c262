import { decode, encode } from "@rush/bus";
import { PaymentStatus } from "@rush/contracts";
import { paymentStreamSamples, seatStreamSamples } from "@rush/contracts/testing";
import { describe, expect, it } from "vitest";
import { ORDER_CONSUMER_SCHEMAS } from "../app.ts";
import { ORDER_SEAT_MESSAGES, targetOfPayment, targetOfSeatEvent } from "./order-state.ts";

// Built from the producers' schemas: one message of every type the seat actors and the payment
// service publish on the subjects these consumers' filters (`seat.>`, `payment.>`) match.
describe("order consumers' contract", () => {
  it.each(seatStreamSamples().map((m) => [m.type, m] as const))("order consumers: seat.> delivers %s, which decodes and has a decision", (type, message) => {
    const decoded = decode(ORDER_CONSUMER_SCHEMAS.seatEvents, encode(ORDER_CONSUMER_SCHEMAS.seatEvents, message));
    expect(decoded).toMatchObject({ ok: true, value: { type } });
    const decision = ORDER_SEAT_MESSAGES[type];
    expect(["follow", "ignore"]).toContain(decision);
    // What is followed moves an order (or its expiry); what is ignored never would.
    const target = message.type === "HoldRejectedBatch" ? undefined : targetOfSeatEvent(message);
    expect(decision === "follow").toBe(target !== undefined || type === "HoldExtended");
  });

  it("order consumers: every type the seat stream carries is decided, none twice", () => {
    expect(Object.keys(ORDER_SEAT_MESSAGES).sort()).toEqual(seatStreamSamples().map((m) => m.type).sort());
  });

  it.each(paymentStreamSamples().map((m) => [m.type, m] as const))("order consumers: payment.> delivers %s, which decodes", (type, message) => {
    expect(decode(ORDER_CONSUMER_SCHEMAS.payments, encode(ORDER_CONSUMER_SCHEMAS.payments, message))).toMatchObject({ ok: true, value: { type } });
  });

  it("order consumers: every payment status is followed or explicitly ignored", () => {
    for (const status of PaymentStatus.options) expect(() => targetOfPayment(status)).not.toThrow();
  });
});

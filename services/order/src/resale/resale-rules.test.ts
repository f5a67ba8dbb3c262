import { describe, expect, it } from "vitest";
import { decideBuy, decideConfirm, decideWithdraw, isReserved, type ListingFacts, type ListingState, listingRefusal } from "./resale-rules.ts";

const NOW = 1_800_000_000_000;
const seller = "seller";
const facts = (over: Partial<ListingFacts> = {}): ListingFacts => ({
  callerId: seller,
  ticket: { ownerId: seller, status: "valid" },
  order: { buyerId: seller, status: "completed" },
  payment: { status: "succeeded", settled: true },
  session: { status: "on_sale", startsAt: NOW + 86_400_000 },
  listed: false,
  now: NOW,
  ...over,
});
const listing = (over: Partial<ListingState> = {}): ListingState => ({
  status: "listed",
  sellerId: seller,
  orderId: null,
  reservedUntil: null,
  reservedBy: null,
  ...over,
});

describe("resale rules", () => {
  it("resale: only the holder lists a valid ticket they paid for, of a session not started or cancelled, once", () => {
    expect(listingRefusal(facts())).toBeUndefined();
    expect(listingRefusal(facts({ session: { status: "closed", startsAt: NOW + 1000 } }))).toBeUndefined();
    expect(listingRefusal(facts({ callerId: "someone" }))).toBe("not_found");
    expect(listingRefusal(facts({ ticket: { ownerId: seller, status: "used" } }))).toBe("ticket_used");
    expect(listingRefusal(facts({ ticket: { ownerId: seller, status: "void" } }))).toBe("ticket_void");
    expect(listingRefusal(facts({ order: { buyerId: "giver", status: "completed" } }))).toBe("ticket_transferred");
    expect(listingRefusal(facts({ order: { buyerId: seller, status: "refund_pending" } }))).toBe("order_not_completed");
    expect(listingRefusal(facts({ payment: { status: "succeeded", settled: false } }))).toBe("order_not_completed");
    expect(listingRefusal(facts({ payment: undefined }))).toBe("order_not_completed");
    expect(listingRefusal(facts({ session: { status: "cancelled", startsAt: NOW + 1000 } }))).toBe("session_closed");
    expect(listingRefusal(facts({ session: { status: "on_sale", startsAt: NOW } }))).toBe("session_closed");
    expect(listingRefusal(facts({ listed: true }))).toBe("already_listed");
  });

  it("resale: a listing is reserved only while its order's window is ahead", () => {
    expect(isReserved(listing(), NOW)).toBe(false);
    expect(isReserved(listing({ orderId: "o1", reservedUntil: NOW + 1 }), NOW)).toBe(true);
    expect(isReserved(listing({ orderId: "o1", reservedUntil: NOW }), NOW)).toBe(false);
  });

  it("resale: one buyer holds a listing; a double click gets the same order; an abandoned hold is taken over", () => {
    expect(decideBuy(listing(), "b1", NOW)).toEqual({ outcome: "reserve", abandonedOrderId: null });
    const held = listing({ orderId: "o1", reservedUntil: NOW + 60_000, reservedBy: "b1" });
    expect(decideBuy(held, "b1", NOW)).toEqual({ outcome: "mine", orderId: "o1" });
    expect(decideBuy(held, "b2", NOW)).toEqual({ outcome: "refused", reason: "taken" });
    expect(decideBuy(held, "b2", NOW + 60_000)).toEqual({ outcome: "reserve", abandonedOrderId: "o1" });
    expect(decideBuy(listing(), seller, NOW)).toEqual({ outcome: "refused", reason: "own_listing" });
    expect(decideBuy(listing({ status: "sold" }), "b1", NOW)).toEqual({ outcome: "refused", reason: "gone" });
    expect(decideBuy(listing({ status: "withdrawn" }), "b1", NOW)).toEqual({ outcome: "refused", reason: "gone" });
  });

  it("resale: the seller withdraws a listing nobody is paying for", () => {
    expect(decideWithdraw(listing(), NOW)).toEqual({ outcome: "withdraw", abandonedOrderId: null });
    expect(decideWithdraw(listing({ orderId: "o1", reservedUntil: NOW + 1 }), NOW)).toEqual({ outcome: "refused", reason: "reserved" });
    expect(decideWithdraw(listing({ orderId: "o1", reservedUntil: NOW - 1 }), NOW)).toEqual({ outcome: "withdraw", abandonedOrderId: "o1" });
    expect(decideWithdraw(undefined, NOW)).toEqual({ outcome: "refused", reason: "not_listed" });
    expect(decideWithdraw(listing({ status: "sold" }), NOW)).toEqual({ outcome: "refused", reason: "not_listed" });
  });

  it("resale: a paid order buys the listing only while it is still its own and the ticket unchanged; asked again, it is sold already", () => {
    const ticket = { status: "valid", version: 1, ownerId: seller };
    const listed = { version: 1, sellerId: seller };
    const mine = listing({ orderId: "o1", reservedUntil: NOW - 1 });
    // A window that ran out with nobody else taking the listing is still this order's, as an unexpired hold is.
    expect(decideConfirm(mine, "o1", ticket, listed)).toEqual({ outcome: "sell" });
    expect(decideConfirm({ ...mine, status: "sold" }, "o1", ticket, listed)).toEqual({ outcome: "already_sold" });
    expect(decideConfirm(mine, "o2", ticket, listed)).toEqual({ outcome: "reject", reason: "resale_taken" });
    expect(decideConfirm({ ...mine, status: "withdrawn" }, "o1", ticket, listed)).toEqual({ outcome: "reject", reason: "resale_withdrawn" });
    expect(decideConfirm(mine, "o1", { ...ticket, status: "void" }, listed)).toEqual({ outcome: "reject", reason: "resale_ticket_changed" });
    expect(decideConfirm(mine, "o1", { ...ticket, version: 2 }, listed)).toEqual({ outcome: "reject", reason: "resale_ticket_changed" });
    expect(decideConfirm(undefined, "o1", undefined, listed)).toEqual({ outcome: "reject", reason: "resale_unknown" });
  });
});

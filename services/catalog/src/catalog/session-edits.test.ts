import { describe, expect, it } from "vitest";
import { editProblems, editRefusal } from "./session-edits.ts";

const NOW = Date.parse("2030-05-01T12:00:00Z");
const CATEGORY = "11111111-1111-4111-8111-111111111111";
const session = {
  startsAt: "2030-06-01T19:00:00Z",
  endsAt: "2030-06-01T22:00:00Z",
  saleStartsAt: "2030-05-02T10:00:00Z",
  saleEndsAt: "2030-06-01T18:00:00Z",
  priceCategories: [{ id: CATEGORY, name: "Standard", areaIds: ["A"], price: { amount: "45.00", currency: "EUR" } }],
};

describe("session edits", () => {
  it("session edits: a draft and a published session whose sale has not opened may change", () => {
    expect(editRefusal({ status: "draft", saleStartsAt: "2020-01-01T00:00:00Z" }, NOW)).toBeNull();
    expect(editRefusal({ status: "on_sale", saleStartsAt: session.saleStartsAt }, NOW)).toBeNull();
  });

  it("session edits: an opened sale, a closed or publishing session may not, and say why", () => {
    expect(editRefusal({ status: "on_sale", saleStartsAt: "2030-05-01T11:59:00Z" }, NOW)?.code).toBe("sale_opened");
    expect(editRefusal({ status: "closed", saleStartsAt: session.saleStartsAt }, NOW)?.code).toBe("session_closed");
    expect(editRefusal({ status: "publishing", saleStartsAt: session.saleStartsAt }, NOW)?.code).toBe("session_publishing");
  });

  it("session edits: dates are checked against the ones that stay", () => {
    expect(editProblems(session, { saleEndsAt: "2030-06-02T00:00:00Z" })).toEqual([{ path: "body.saleEndsAt", message: "must not be after endsAt" }]);
    expect(editProblems(session, { startsAt: "2030-06-01T17:00:00Z", endsAt: "2030-06-01T17:30:00Z" }).map((e) => e.path)).toEqual(["body.saleEndsAt"]);
    expect(editProblems(session, { startsAt: "2030-06-02T00:00:00Z" }).map((e) => e.path)).toEqual(["body.endsAt"]);
    expect(editProblems(session, { startsAt: "2030-05-20T19:00:00Z", saleEndsAt: "2030-05-20T18:00:00Z" })).toEqual([]);
  });

  it("session edits: prices only of the session's categories, in its currency, once each", () => {
    const other = "22222222-2222-4222-8222-222222222222";
    expect(editProblems(session, { prices: [{ priceCategoryId: CATEGORY, price: { amount: "50.00", currency: "EUR" } }] })).toEqual([]);
    expect(editProblems(session, { prices: [{ priceCategoryId: other, price: { amount: "50.00", currency: "EUR" } }] })[0]?.path).toBe("body.prices.0.priceCategoryId");
    expect(editProblems(session, { prices: [{ priceCategoryId: CATEGORY, price: { amount: "50.00", currency: "USD" } }] })[0]?.path).toBe("body.prices.0.price.currency");
    const twice = { priceCategoryId: CATEGORY, price: { amount: "50.00", currency: "EUR" } };
    expect(editProblems(session, { prices: [twice, twice] }).map((e) => e.message)).toEqual(["named twice"]);
  });
});

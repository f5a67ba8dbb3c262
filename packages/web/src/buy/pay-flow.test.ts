import { describe, expect, it } from "vitest";
import { ApiError } from "../api/problem.ts";
import { outcomeWords, payProblemWords } from "./pay-flow.ts";

const problem = (status: number, detail = "no order 3f1c…") => new ApiError({ type: "about:blank", title: "Not Found", status, detail });

describe("pay flow words", () => {
  it("pay: a failure to start paying never shows the raw problem, and always says what to do next", () => {
    for (const status of [0, 401, 404, 409, 429, 500, 503]) {
      const words = payProblemWords(problem(status));
      expect(words).not.toContain("no order");
      expect(words).not.toContain("Not Found");
      expect(words).toMatch(/Pay again|My orders|pick seats again|sign in again|try again/i);
    }
    expect(payProblemWords(problem(404))).toContain("Your seats stay held");
  });

  it("pay: a declined payment keeps the hold and says so; an expired one says nothing was charged", () => {
    expect(outcomeWords({ status: "failed", reason: "card declined" })).toMatch(/declined \(card declined\)\. Your seats stay held/);
    expect(outcomeWords({ status: "expired" })).toContain("nothing was charged");
    expect(outcomeWords({ status: "payment_pending" })).toContain("My orders");
  });
});

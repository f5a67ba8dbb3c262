import { describe, expect, it } from "vitest";
import { formatMoney, sumMoney } from "./money.ts";
import { countdownWords, formatCountdown, formatWait, peopleAhead, secondsLeft } from "./time.ts";

describe("formatting", () => {
  it("countdown: whole seconds left, never negative, shown as a clock and in words", () => {
    expect(secondsLeft(10_500, 0)).toBe(11);
    expect(secondsLeft(0, 5_000)).toBe(0);
    expect(formatCountdown(545)).toBe("9:05");
    expect(formatCountdown(3723)).toBe("1:02:03");
    expect(formatCountdown(0)).toBe("0:00");
    expect(countdownWords(61)).toBe("1 minute 1 second");
    expect(countdownWords(0)).toBe("0 seconds");
  });

  it("waiting room: rough waits in words", () => {
    expect(formatWait(undefined)).toBe("unknown");
    expect(formatWait(30)).toBe("less than a minute");
    expect(formatWait(240)).toBe("about 4 minutes");
    expect(formatWait(7200)).toBe("about 2 hours");
    expect(peopleAhead(1)).toBe("You are next.");
    expect(peopleAhead(2)).toBe("1 person ahead of you.");
    expect(peopleAhead(1235)).toBe("1,234 people ahead of you.");
  });

  it("money: decimal strings are summed exactly and shown with their currency", () => {
    expect(sumMoney([{ amount: "0.10", currency: "EUR" }, { amount: "0.2", currency: "EUR" }, { amount: "45", currency: "EUR" }])).toEqual({ amount: "45.30", currency: "EUR" });
    expect(sumMoney([])).toBeUndefined();
    expect(formatMoney({ amount: "95.00", currency: "EUR" })).toBe("€95.00");
  });
});

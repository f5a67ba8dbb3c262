import { describe, expect, it } from "vitest";
import { editLock, saleState, saleStateWords } from "./sale-state.ts";

const hour = 3_600_000;
const now = Date.parse("2030-06-01T12:00:00Z");
const session = (status: "draft" | "publishing" | "on_sale" | "closed", opensIn: number, endsIn = 48 * hour) => ({
  status,
  saleStartsAt: new Date(now + opensIn).toISOString(),
  saleEndsAt: new Date(now + endsIn).toISOString(),
});

describe("sale state", () => {
  it("sale state: a published session whose sale opens later is upcoming, with a countdown, never 'on sale'", () => {
    const s = session("on_sale", 2 * hour);
    expect(saleState(s, now)).toBe("upcoming");
    expect(saleStateWords("upcoming", s, now)).toMatch(/^Sale opens in 2:00:00, /);
  });

  it("sale state: drafts are not public; open sales are on sale or sold out; closed or past sales ended", () => {
    expect(saleState(session("draft", -hour), now)).toBe("not_public");
    expect(saleState(session("on_sale", -hour), now, 12)).toBe("on_sale");
    expect(saleState(session("on_sale", -hour), now)).toBe("on_sale");
    expect(saleState(session("on_sale", -hour), now, 0)).toBe("sold_out");
    expect(saleState(session("on_sale", -2 * hour, -hour), now)).toBe("ended");
    expect(saleState(session("closed", -hour), now)).toBe("ended");
  });

  it("sale state: an organizer may edit a draft or a sale still to open, and is told why not after", () => {
    expect(editLock(session("draft", -hour), now)).toBeNull();
    expect(editLock(session("on_sale", hour), now)).toBeNull();
    expect(editLock(session("on_sale", -hour), now)).toMatch(/^The sale opened .*: dates and prices stay as buyers saw them/);
    expect(editLock(session("closed", hour), now)).toBe("The session is closed.");
  });
});

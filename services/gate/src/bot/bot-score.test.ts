import { describe, expect, it } from "vitest";
import { headerSignals } from "./bot-score.ts";

const browser = {
  "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "accept-language": "fr-FR,fr;q=0.9",
  accept: "text/html,application/json",
};

describe("bot score", () => {
  it("bot score: a browser's headers score nothing", () => {
    expect(headerSignals(browser)).toEqual({ score: 0, reasons: [] });
  });

  it("bot score: scripted or missing user agents and missing browser headers add up", () => {
    expect(headerSignals({ ...browser, "user-agent": "python-requests/2.32" })).toEqual({ score: 30, reasons: ["scripted user agent"] });
    expect(headerSignals({ "user-agent": "curl/8.5.0" }).score).toBe(60);
    expect(headerSignals({})).toEqual({ score: 60, reasons: ["no user agent", "no accept-language", "no accept"] });
  });
});

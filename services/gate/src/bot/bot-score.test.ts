import { describe, expect, it } from "vitest";
import { loadGateConfig } from "../config.ts";
import { behaviourSignals, headerSignals } from "./bot-score.ts";

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

  it("bot score: browser-like headers do not excuse behaviour: either signal alone reaches the default challenge score", () => {
    const { BOT_CHALLENGE_SCORE, BOT_CADENCE_MAX, BOT_ACCOUNTS_PER_IP } = loadGateConfig({ NODE_ENV: "test" });
    const options = { cadenceMax: BOT_CADENCE_MAX, accountsPerIp: BOT_ACCOUNTS_PER_IP };
    expect(headerSignals(browser).score + behaviourSignals(BOT_CADENCE_MAX + 1, 1, options).score).toBeGreaterThanOrEqual(BOT_CHALLENGE_SCORE);
    expect(headerSignals(browser).score + behaviourSignals(1, BOT_ACCOUNTS_PER_IP + 1, options).score).toBeGreaterThanOrEqual(BOT_CHALLENGE_SCORE);
    expect(behaviourSignals(BOT_CADENCE_MAX, BOT_ACCOUNTS_PER_IP, options)).toEqual({ score: 0, reasons: [] });
  });
});

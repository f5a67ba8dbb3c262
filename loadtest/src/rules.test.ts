import { describe, expect, it } from "vitest";
import { type RuleInput, STEP_P99_MS, failuresOf } from "../k6/lib/rules.js";

const passing = (): RuleInput => ({
  requests: 1000,
  totals: { granted: 300, serverErrors: 0, rateLimited: 12 },
  steps: { hold: { count: 400, p99: 900 }, pay: { count: 280, p99: 400 } },
  audit: { doubleGranted: [], paidWithoutTickets: [] },
});

describe("loadtest rules", () => {
  it("loadtest: a clean run with a few 429s passes", () => {
    expect(failuresOf(passing())).toEqual([]);
  });

  it("loadtest: fails on 5xx, double grants, paid orders without tickets and zero grants, saying which", () => {
    const run = passing();
    run.totals.serverErrors = 3;
    run.totals.granted = 0;
    run.audit = { doubleGranted: ["S01-1-1"], paidWithoutTickets: ["o-1", "o-2"] };
    const failures = failuresOf(run);
    expect(failures).toHaveLength(4);
    expect(failures.join("\n")).toMatch(/3 answers were 5xx/);
    expect(failures.join("\n")).toMatch(/1 seats were granted to two holds \(S01-1-1\)/);
    expect(failures.join("\n")).toMatch(/2 paid orders have no tickets/);
    expect(failures.join("\n")).toMatch(/no hold was granted/);
  });

  it("loadtest: a run where the load generator dropped buyers' arrivals fails and says how many", () => {
    const run = { ...passing(), buyers: 2000 };
    run.totals.notArrived = 1495;
    expect(failuresOf(run)).toEqual([expect.stringMatching(/1495 of 2000 buyers never arrived.*fewer buyers than claimed/)]);
    run.totals.notArrived = 0;
    expect(failuresOf(run)).toEqual([]);
  });

  it("loadtest: a mostly-429 run fails and says what to change", () => {
    const run = passing();
    run.totals.rateLimited = 500;
    expect(failuresOf(run)).toEqual([expect.stringMatching(/mostly 429: 500 of 1000 .*--local-ips/)]);
  });

  it("loadtest: a run where most buyers were challenged at the waiting room fails and says why", () => {
    const run = { ...passing(), buyers: 300 };
    run.totals.challenged = 200;
    expect(failuresOf(run)).toEqual([expect.stringMatching(/mostly challenged: 200 of 300 buyers .*BOT_ACCOUNTS_PER_IP/)]);
    run.totals.challenged = 20;
    expect(failuresOf(run)).toEqual([]);
  });

  it("loadtest: a step's p99 over its threshold fails, a step without samples does not", () => {
    const run = passing();
    const limit = STEP_P99_MS.hold ?? 0;
    run.steps.hold = { count: 400, p99: limit + 500 };
    run.steps.queue_join = { count: 0, p99: Number.NaN };
    expect(failuresOf(run)).toEqual([`hold p99 ${limit + 500} ms is over its ${limit} ms threshold`]);
    // --p99-scale widens every threshold (a busy machine, said so in the report).
    expect(failuresOf(run, 2)).toEqual([]);
  });
});

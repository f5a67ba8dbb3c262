// What makes a flash-sale run fail, shared by the k6 scripts (thresholds, handleSummary) and the
// Node runner (loadtest/src). Plain ES2015 that k6 v0.48 compiles: no object spread, no `?.`, no `??`.

/**
 * p99 ceilings per step, in ms: above one, the run fails. They are what the default 2,000-buyer
 * burst gets on the 2-core reference machine when it is quiet, with headroom (loadtest/README.md,
 * "Thresholds"): a regression bar for the stack as it is, not a promise to buyers. A quiet run
 * measured hold p99 4.6 s and pay p99 13.5 s (a hold or a pay waits for the seat actor and,
 * for pay, the provider and the order: issue 12 works on those figures; lower these with them).
 * Waiting-room and read steps answer from Redis and must stay fast.
 */
export const STEP_P99_MS = {
  queue_join: 5000,
  queue_poll: 3000,
  hold: 8000,
  command_poll: 3000,
  pay: 20000,
  order_poll: 3000,
  seat_map: 5000,
};

/** A run whose answers are this share 429 or more measured the rate limits, not the sale. */
export const MAX_RATE_LIMITED_SHARE = 0.5;

/** A run where this share of buyers or more had to solve the waiting room's proof of work measured the runner's hashing. */
export const MAX_CHALLENGED_SHARE = 0.5;

/**
 * Why a run failed (empty when it passed), from its report:
 * `{requests, totals: {granted, serverErrors, rateLimited}, steps: {name: {p99}}, audit: {doubleGranted, paidWithoutTickets}}`;
 * `p99Scale` multiplies every step's threshold (1 unless the machine is known to be busy).
 */
export function failuresOf(report, p99Scale) {
  const scale = p99Scale || 1;
  const failures = [];
  const totals = report.totals;
  if (totals.serverErrors > 0) {
    failures.push(totals.serverErrors + " answers were 5xx (a 5xx is a bug): see the statuses per step");
  }
  const audit = report.audit;
  if (audit && audit.doubleGranted.length > 0) {
    failures.push(audit.doubleGranted.length + " seats were granted to two holds (" + audit.doubleGranted.slice(0, 5).join(", ") + ")");
  }
  if (audit && audit.paidWithoutTickets.length > 0) {
    failures.push(audit.paidWithoutTickets.length + " paid orders have no tickets (" + audit.paidWithoutTickets.slice(0, 5).join(", ") + ")");
  }
  if (totals.granted === 0) {
    failures.push("no hold was granted: the run measured nothing (is the session on sale with seats left? see the statuses)");
  }
  if (report.requests > 0 && totals.rateLimited / report.requests >= MAX_RATE_LIMITED_SHARE) {
    failures.push(
      "mostly 429: " + totals.rateLimited + " of " + report.requests + " answers were rate limited, so this measured the gate's limits, " +
        "not the sale. Spread the load over more source addresses (--local-ips 127.0.0.2-127.0.0.250), or slow the arrivals (--ramp-seconds)",
    );
  }
  if (report.buyers > 0 && totals.challenged / report.buyers >= MAX_CHALLENGED_SHARE) {
    failures.push(
      "mostly challenged: " + totals.challenged + " of " + report.buyers + " buyers were asked for proof of work (428) at the waiting room, " +
        "because their addresses already carry more accounts than the gate's BOT_ACCOUNTS_PER_IP within its hour (earlier runs on this stack). " +
        "Wait an hour, restart the stack, or spread over more source addresses (--local-ips)",
    );
  }
  if (report.buyers > 0 && totals.notArrived > 0) {
    failures.push(
      totals.notArrived + " of " + report.buyers + " buyers never arrived: the load generator did not start their visit within the run " +
        "(a load generator starved of CPU, or --max-seconds too short), so the sale saw fewer buyers than claimed",
    );
  }
  for (const step in STEP_P99_MS) {
    const stats = report.steps[step];
    const limit = STEP_P99_MS[step] * scale;
    if (stats && stats.count > 0 && stats.p99 > limit) {
      failures.push(`${step} p99 ${Math.round(stats.p99)} ms is over its ${limit} ms threshold`);
    }
  }
  return failures;
}

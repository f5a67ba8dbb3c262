// k6 flash sale against the gate (API.md), the scenario the Node runner (`pnpm loadtest`) runs:
// seeded buyers arrive as a burst (ramping arrival rate), join the waiting room, are admitted,
// hold seats (explicit or best available, again after a 409), pay most holds with the mock
// provider and check their tickets, while a share of them watches the seat map.
//
//   pnpm loadtest seed --buyers 2000            # prints the buyers file
//   k6 run --local-ips 127.0.0.2-127.0.0.250 -e SESSION_ID=<uuid> -e BUYERS_FILE=<file> loadtest/k6/flash-sale.js
//
// Plain ES2015 (k6 v0.48 rejects object spread). handleSummary writes <REPORT_DIR>/k6-<RUN_ID>.json
// and .html; `pnpm loadtest --runner k6` also audits the database (double grants) afterwards.
import { check, fail, sleep } from "k6";
import { SharedArray } from "k6/data";
import exec from "k6/execution";
import crypto from "k6/crypto";
import http from "k6/http";
import { Counter, Rate, Trend } from "k6/metrics";
import { BROWSER_HEADERS, assertLoopback } from "./lib/common.js";
import { renderHtml } from "./lib/report.js";
import { STEP_P99_MS, failuresOf } from "./lib/rules.js";
import { readSeatMap } from "./seat-map-readers.js";

const BASE = assertLoopback(__ENV.BASE_URL || "http://127.0.0.1:8080");
const SESSION = __ENV.SESSION_ID;
const RUN = __ENV.RUN_ID || String(Date.now());
const REPORT_DIR = __ENV.REPORT_DIR || ".data/loadtest";
const RAMP = Number(__ENV.RAMP_SECONDS || 10);
const MAX_SECONDS = Number(__ENV.MAX_SECONDS || 180);
const EXPLICIT_SHARE = Number(__ENV.EXPLICIT_SHARE || 0.3);
const PAY_SHARE = Number(__ENV.PAY_SHARE || 0.9);
const READER_SHARE = Number(__ENV.READER_SHARE || 0.05);
// Multiplies every step's p99 threshold (a busy shared machine).
const P99_SCALE = Number(__ENV.P99_SCALE || 1);
// When the burst begins (epoch ms; `pnpm loadtest` sets it to the sale's opening less --opens-in):
// k6 starts its 2,000 VUs first, which takes longer than the room's 10 s, and buyers arriving
// after the opening would be a different sale from the Node runner's.
const ARRIVE_FROM = Number(__ENV.ARRIVE_FROM || 0);

const buyers = new SharedArray("buyers", () => (__ENV.BUYERS_FILE ? JSON.parse(open(__ENV.BUYERS_FILE)) : []));
const WANTED = Number(__ENV.BUYERS || buyers.length);
// Without a buyers file (`k6 inspect`, a run started by hand) the options still build; setup() refuses the run and says why.
const BUYERS = Math.max(1, Math.min(buyers.length, WANTED) || 1);

// The timeline: per-bucket submetrics, which the summary only carries when a threshold names them.
const BUCKET = Math.max(1, Math.ceil(MAX_SECONDS / 90));
const STEPS = Object.keys(STEP_P99_MS).concat(["release", "tickets"]);
const STATUSES = ["0", "200", "201", "202", "204", "400", "401", "403", "404", "409", "428", "429", "500", "502", "503", "504"];

function thresholds() {
  const t = {
    server_errors: ["count==0"],
    holds_granted: ["count>0"],
    buyers_arrived: [`count>=${BUYERS}`],
    paid_without_tickets: ["count==0"],
    rate_limited: [`rate<0.5`],
  };
  STEPS.forEach((step) => {
    if (STEP_P99_MS[step]) t[`step_${step}`] = [`p(99)<${STEP_P99_MS[step] * P99_SCALE}`];
    STATUSES.forEach((s) => {
      t[`answers{step:${step},s:${s}}`] = ["count>=0"];
    });
  });
  for (let b = 0; b * BUCKET <= MAX_SECONDS + RAMP; b++) {
    t[`grants{b:${b}}`] = ["count>=0"];
    t[`payments{b:${b}}`] = ["count>=0"];
    t[`answers{b:${b}}`] = ["count>=0"];
    t[`limited{b:${b}}`] = ["count>=0"];
    t[`step_hold{b:${b}}`] = ["p(99)>=0"];
  }
  return t;
}

export const options = {
  scenarios: {
    // One VU per buyer, each arriving at ramp·√(i/N) (as the Node runner): the arrival rate grows
    // linearly to its peak at the end of the ramp, a burst, not a trickle. Not k6's
    // ramping-arrival-rate: on a machine as busy as the stack makes it, k6 started ~1,700 of 2,000
    // scheduled arrivals without counting the rest as dropped.
    flash: {
      executor: "per-vu-iterations",
      exec: "buyer",
      vus: BUYERS,
      iterations: 1,
      maxDuration: `${RAMP + MAX_SECONDS}s`,
      gracefulStop: "10s",
    },
    readers: {
      executor: "constant-vus",
      exec: "reader",
      vus: Math.max(1, Math.ceil(BUYERS * READER_SHARE)),
      duration: `${RAMP + 30}s`,
      gracefulStop: "5s",
    },
  },
  // setup() waits for ARRIVE_FROM (at most pnpm loadtest's allowance for starting the VUs).
  setupTimeout: "150s",
  summaryTrendStats: ["min", "med", "max", "p(50)", "p(95)", "p(99)", "count"],
  thresholds: thresholds(),
};

const stepMs = {};
STEPS.forEach((step) => {
  // seat_map's trend is seat-map-readers.js's own.
  if (step !== "seat_map") stepMs[step] = new Trend(`step_${step}`, true);
});
const answers = new Counter("answers");
// Buyers whose visit began: one the load generator never started did not come to the sale.
const arrived = new Counter("buyers_arrived");
const grants = new Counter("grants");
const payments = new Counter("payments");
const limited = new Counter("limited");
const granted = new Counter("holds_granted");
const seatsGranted = new Counter("seats_granted");
const refused = new Counter("holds_refused");
const pending = new Counter("holds_pending");
const paid = new Counter("orders_paid");
const challenged = new Counter("queue_challenged");
const solved = new Counter("queue_challenges_solved");
const serverErrors = new Counter("server_errors");
const rateLimited = new Rate("rate_limited");
const paidWithoutTickets = new Counter("paid_without_tickets");

function bucket(data) {
  return String(Math.floor((Date.now() - data.t0) / 1000 / BUCKET));
}

/** One request of one step: timed, counted by status and by timeline bucket. */
function call(data, step, method, path, body, headers) {
  const all = Object.assign({}, BROWSER_HEADERS, headers || {});
  if (body !== null) all["content-type"] = "application/json";
  const res = http.request(method, `${BASE}${path}`, body === null ? null : JSON.stringify(body), {
    headers: all,
    tags: { step: step },
    responseCallback: http.expectedStatuses({ min: 200, max: 499 }),
  });
  const b = bucket(data);
  stepMs[step].add(res.timings.duration, { b: b });
  answers.add(1, { step: step, s: String(res.status), b: b });
  if (res.status >= 500) serverErrors.add(1);
  rateLimited.add(res.status === 429);
  if (res.status === 429) limited.add(1, { b: b });
  return res;
}

const json = (res, key) => {
  try {
    // json(undefined) would look up a field named "undefined".
    return key === undefined ? res.json() : res.json(key);
  } catch (_) {
    return undefined;
  }
};

export function setup() {
  if (buyers.length === 0) fail("BUYERS_FILE is required: pnpm loadtest seed --buyers N prints one");
  if (!(WANTED > 0)) fail("BUYERS must be 1 or more");
  if (!SESSION) fail("SESSION_ID is required (./scripts/start prints the demo sessions; pnpm loadtest makes a fresh one)");
  const auth = { authorization: `Bearer ${buyers[0].token}` };
  const session = http.get(`${BASE}/v1/sessions/${SESSION}`, { headers: auth });
  if (session.status !== 200) fail(`session ${SESSION}: GET answered ${session.status}`);
  if (session.json("status") !== "on_sale") fail(`session ${SESSION} is not on sale (status ${session.json("status")})`);
  const map = http.get(`${BASE}/v1/sessions/${SESSION}/seats`, { headers: auth });
  if (map.status !== 200) fail(`seat map: ${map.status}`);
  // A block of available seats per area for explicit picks (not the whole map: setup data is copied to every VU).
  const areas = map.json("areas").map((a) => {
    const free = a.seats.filter((s) => s.status === "available").map((s) => s.id);
    const from = Math.floor(Math.random() * Math.max(1, free.length - 120));
    return { id: a.id, seatIds: free.slice(from, from + 120), available: free.length };
  });
  if (areas.every((a) => a.available === 0)) fail(`session ${SESSION} has no seats left`);
  if (ARRIVE_FROM > Date.now()) sleep((ARRIVE_FROM - Date.now()) / 1000);
  // Seconds the burst began after it was due (k6 slower to start than pnpm loadtest allowed).
  const late = ARRIVE_FROM > 0 ? Math.max(0, (Date.now() - ARRIVE_FROM) / 1000) : 0;
  return { t0: Date.now(), areas: areas, late: late };
}

function holdBody(data, quantity, explicit) {
  const area = data.areas[Math.floor(Math.random() ** 2 * data.areas.length)];
  if (!explicit || area.seatIds.length < quantity) return { areaId: area.id, quantity: quantity };
  const start = Math.floor(Math.random() * (area.seatIds.length - quantity + 1));
  return { seatIds: area.seatIds.slice(start, start + quantity) };
}

/** As the web app's waiting room: every 3 s, sooner when the gate expects the wait to end sooner (the Node runner does the same). */
function pollDelaySeconds(estimatedWaitSeconds) {
  const wait = Number(estimatedWaitSeconds);
  const base = Number.isFinite(wait) && wait >= 0 ? Math.min(3, Math.max(0.5, wait)) : 3;
  return base * (0.9 + Math.random() * 0.2);
}

/** Leading zero bits of a hex digest. */
function zeroBits(hex) {
  let bits = 0;
  for (let i = 0; i < hex.length; i++) {
    const nibble = parseInt(hex[i], 16);
    if (nibble !== 0) return bits + Math.clz32(nibble) - 28;
    bits += 4;
  }
  return bits;
}

/** Joins the waiting room; a 428 is solved (sha256 proof of work) and joined again, as the browser does. */
function joinQueue(data, queuePath, auth) {
  const res = call(data, "queue_join", "POST", queuePath, null, auth);
  // No `?.`: k6 v0.48 does not compile it.
  const challenge = (res.status === 428 && json(res, "challenge")) || {};
  if (!challenge.token) return res;
  challenged.add(1);
  let nonce = null;
  for (let i = 0; i < 2 ** 26 && nonce === null; i++) {
    if (zeroBits(crypto.sha256(`${challenge.token}:${i.toString(36)}`, "hex")) >= challenge.difficulty) nonce = i.toString(36);
  }
  if (nonce === null) return res;
  const headers = Object.assign({ "x-pow-challenge": challenge.token, "x-pow-nonce": nonce }, auth);
  const again = call(data, "queue_join", "POST", queuePath, null, headers);
  if (again.status === 200) solved.add(1);
  return again;
}

export function buyer(data) {
  const n = exec.scenario.iterationInTest;
  if (n >= BUYERS) return;
  const arrival = data.t0 + RAMP * 1000 * Math.sqrt(n / BUYERS) - Date.now();
  if (arrival > 0) sleep(arrival / 1000);
  arrived.add(1);
  const deadline = data.t0 + MAX_SECONDS * 1000;
  const me = buyers[n];
  const auth = { authorization: `Bearer ${me.token}` };
  const queuePath = `/v1/sessions/${SESSION}/queue`;

  // As the Node runner: a 429 is asked again after its Retry-After (3 times at most), a lapsed place joined again.
  let queue = joinQueue(data, queuePath, auth);
  let joined = false;
  let limited = 0;
  while (Date.now() < deadline) {
    if (queue.status === 429 && limited++ < 3) {
      sleep(Number(queue.headers["Retry-After"] || 1));
    } else if (queue.status === 200 && !json(queue, "admitted")) {
      joined = true;
      sleep(pollDelaySeconds(json(queue, "estimatedWaitSeconds")));
    } else {
      break;
    }
    queue = joined ? call(data, "queue_poll", "GET", queuePath, null, auth) : joinQueue(data, queuePath, auth);
    if (queue.status === 404) queue = joinQueue(data, queuePath, auth);
  }
  if (queue.status !== 200 || !json(queue, "admitted")) return;
  const admission = json(queue, "admissionToken");

  const quantity = 1 + (n % 4);
  let hold = null;
  for (let attempt = 0; attempt <= 2 && Date.now() < deadline; attempt++) {
    const headers = Object.assign({ "idempotency-key": `k6-${RUN}-${n}-${attempt}` }, auth);
    if (admission) headers["x-admission-token"] = admission;
    const explicit = attempt === 0 && Math.random() < EXPLICIT_SHARE;
    let res = call(data, "hold", "POST", `/v1/sessions/${SESSION}/holds`, holdBody(data, quantity, explicit), headers);
    let status = res.status;
    let body = json(res);
    if (status === 202) {
      pending.add(1);
      status = 0;
      while (Date.now() < deadline) {
        sleep(0.25);
        res = call(data, "command_poll", "GET", `/v1/commands/${body.commandId}`, null, auth);
        if (res.status !== 200) break;
        if (json(res, "status") === "done") {
          status = json(res, "result.statusCode");
          body = json(res, "result.body");
          break;
        }
      }
    }
    if (status === 201) {
      hold = body;
      break;
    }
    if (status === 429) {
      sleep(Number(res.headers["Retry-After"] || 1));
      continue;
    }
    if (status !== 409 || /too_many_holds$/.test(String(body ? body.type : ""))) return;
    refused.add(1);
    sleep(0.1 + Math.random() * 0.3);
  }
  if (!hold) return;
  granted.add(1);
  seatsGranted.add(hold.seats.length);
  grants.add(1, { b: bucket(data) });

  if (Math.random() >= PAY_SHARE) {
    if (Math.random() < 0.5) call(data, "release", "DELETE", `/v1/holds/${hold.holdId}`, null, auth);
    return;
  }
  let pay = call(data, "pay", "POST", `/v1/orders/${hold.orderId}/pay`, { provider: "mock" }, auth);
  // The order a hold names may not be readable yet (read-your-writes): counted, and asked again.
  for (let i = 0; pay.status === 404 && i < 10 && Date.now() < deadline; i++) {
    sleep(0.5);
    pay = call(data, "pay", "POST", `/v1/orders/${hold.orderId}/pay`, { provider: "mock" }, auth);
  }
  if (pay.status !== 200) return;
  let status = json(pay, "status");
  while ((status === "created" || status === "payment_pending") && Date.now() < deadline) {
    sleep(0.5);
    const order = call(data, "order_poll", "GET", `/v1/orders/${hold.orderId}`, null, auth);
    if (order.status !== 200) break;
    status = json(order, "status");
  }
  if (status !== "completed") return;
  paid.add(1);
  payments.add(1, { b: bucket(data) });
  // A paid order must come with a ticket per seat (issued just after the order completes: up to 30 looks).
  let missing = hold.seats;
  for (let look = 0; look < 30 && missing.length > 0 && Date.now() < deadline + 30000; look++) {
    if (look > 0) sleep(1);
    const mine = call(data, "tickets", "GET", "/v1/me/tickets", null, auth);
    const ticketed = (json(mine, "items") || []).map((t) => t.seatId);
    missing = hold.seats.filter((s) => ticketed.indexOf(s.id) < 0);
  }
  if (!check(missing, { "paid order has its tickets": (m) => m.length === 0 })) paidWithoutTickets.add(1);
}

export function reader() {
  const n = (exec.vu.idInTest - 1) % BUYERS;
  readSeatMap(SESSION, buyers[n].token);
}

function reportOf(data) {
  const m = data.metrics;
  const count = (name) => (m[name] ? m[name].values.count || 0 : 0);
  const steps = {};
  const statuses = {};
  STEPS.forEach((step) => {
    const trend = m[`step_${step}`];
    if (trend && trend.values.count > 0) {
      const v = trend.values;
      steps[step] = { count: v.count, p50: v["p(50)"], p95: v["p(95)"], p99: v["p(99)"], max: v.max };
      if (STEP_P99_MS[step]) steps[step].thresholdMs = STEP_P99_MS[step] * P99_SCALE;
    }
    STATUSES.forEach((s) => {
      const n = count(`answers{step:${step},s:${s}}`);
      if (n > 0) statuses[`${step} ${s === "0" ? "no answer" : s}`] = n;
    });
  });
  // From the burst's start: k6's own test time also counts VU start-up and setup()'s wait for it.
  // biome-ignore lint/complexity/useOptionalChain: k6 v0.48 does not compile `?.`
  const t0 = data.setup_data && data.setup_data.t0 ? data.setup_data.t0 : Date.now() - data.state.testRunDurationMs;
  const elapsedSeconds = (Date.now() - t0) / 1000;
  const timeline = [];
  const last = Math.ceil(elapsedSeconds / BUCKET);
  for (let b = 0; b <= last; b++) {
    const hold = m[`step_hold{b:${b}}`];
    const held = hold && hold.values.count > 0;
    timeline.push({
      t: b * BUCKET,
      grants: count(`grants{b:${b}}`) / BUCKET,
      payments: count(`payments{b:${b}}`) / BUCKET,
      requests: count(`answers{b:${b}}`) / BUCKET,
      limited: count(`limited{b:${b}}`) / BUCKET,
      holdP50: held ? hold.values["p(50)"] : null,
      holdP99: held ? hold.values["p(99)"] : null,
    });
  }
  const report = {
    runner: "k6",
    runId: RUN,
    startedAt: new Date(t0).toISOString(),
    baseUrl: BASE,
    sessionId: SESSION,
    buyers: BUYERS,
    elapsedSeconds: elapsedSeconds,
    requests: count("answers"),
    totals: {
      granted: count("holds_granted"),
      seatsGranted: count("seats_granted"),
      refused: count("holds_refused"),
      pending: count("holds_pending"),
      paid: count("orders_paid"),
      ticketsIssued: 0,
      rateLimited: count("limited"),
      serverErrors: count("server_errors"),
      challenged: count("queue_challenged"),
      solved: count("queue_challenges_solved"),
      notArrived: Math.max(0, BUYERS - count("buyers_arrived")),
    },
    rates: { holdsPerSecond: count("holds_granted") / elapsedSeconds, paymentsPerSecond: count("orders_paid") / elapsedSeconds },
    statuses: statuses,
    steps: steps,
    timeline: timeline,
    audit: null,
    failures: [],
    notes: [
      `k6 ${BUYERS} buyers, arrivals ramped over ${RAMP} s; timeline buckets of ${BUCKET} s`,
      "double grants across buyers are audited by pnpm loadtest --runner k6 (the database), not by k6 alone",
    ].concat(
      data.setup_data && data.setup_data.late > 1
        ? [`the burst began ${Math.round(data.setup_data.late)} s after it was due (k6 took longer to start its VUs): the sale had been open that much longer`]
        : [],
    ),
  };
  report.failures = failuresOf(report, P99_SCALE);
  if (count("paid_without_tickets") > 0) report.failures.push(`${count("paid_without_tickets")} paid orders showed no tickets to their buyer`);
  if (count("seat_map_errors") > 0) report.failures.push(`${count("seat_map_errors")} seat map reads failed`);
  return report;
}

/** JSON and the self-contained HTML page under REPORT_DIR, and a short verdict on stdout. */
export function handleSummary(data) {
  const report = reportOf(data);
  const t = report.totals;
  const out = {};
  out[`${REPORT_DIR}/k6-${RUN}.json`] = JSON.stringify(report, null, 2);
  out[`${REPORT_DIR}/k6-${RUN}.html`] = renderHtml(report);
  out.stdout = [
    `k6 run ${RUN}: ${report.buyers} buyers in ${report.elapsedSeconds.toFixed(1)} s`,
    `  holds granted ${t.granted} (${t.seatsGranted} seats), paid ${t.paid}; 409 ${t.refused}, 202 ${t.pending}, 429 ${t.rateLimited}, 5xx ${t.serverErrors}`,
    report.failures.length === 0 ? "PASSED (k6 side)" : `FAILED:\n  - ${report.failures.join("\n  - ")}`,
    `report: ${REPORT_DIR}/k6-${RUN}.html`,
    "",
  ].join("\n");
  return out;
}

// k6 flash sale against the gate (API.md): every virtual user is a buyer who signs up, joins
// the session's queue, waits to be admitted, and asks for the best N seats.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e SESSION_ID=<uuid> -e AREA_ID=A1 \
//          -e BUYERS=2000 -e VUS=200 loadtest/k6/flash-sale.js
//
// The Node runner `pnpm --filter @rush/loadtest flash-sale` runs the same scenario without k6.
import http from "k6/http";
import { check, fail, sleep } from "k6";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";
const SESSION = __ENV.SESSION_ID;
const AREA = __ENV.AREA_ID || "A1";
const BUYERS = Number(__ENV.BUYERS || 2000);
const RUN = __ENV.RUN_ID || String(Date.now());

// Load only ever goes to this machine.
if (!/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(BASE)) {
  throw new Error(`BASE_URL must be a loopback address, got ${BASE}`);
}

export const options = {
  scenarios: {
    flash: {
      executor: "shared-iterations",
      vus: Number(__ENV.VUS || 200),
      iterations: BUYERS,
      maxDuration: __ENV.MAX_DURATION || "3m",
    },
  },
  thresholds: {
    server_errors: ["count==0"],
    hold_ms: ["p(99)<3000"],
  },
};

const holdMs = new Trend("hold_ms", true);
const granted = new Counter("holds_granted");
const refused = new Counter("holds_refused");
const serverErrors = new Counter("server_errors");

const json = { headers: { "content-type": "application/json" } };
const auth = (token, extra = {}) => ({ headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...extra } });
const watch = (res) => {
  if (res.status >= 500) serverErrors.add(1);
  return res;
};

export function setup() {
  if (!SESSION) fail("SESSION_ID is required (the demo prints it)");
}

export default function () {
  const n = exec.scenario.iterationInTest;
  const email = `k6-${RUN}-${n}@example.com`;
  const password = "flash-sale-password";
  watch(http.post(`${BASE}/v1/auth/register`, JSON.stringify({ email, password, displayName: `Buyer ${n}` }), json));
  const login = watch(http.post(`${BASE}/v1/auth/login`, JSON.stringify({ email, password }), json));
  if (!check(login, { "logged in": (r) => r.status === 200 })) return;
  const token = login.json("accessToken");

  let queue = watch(http.post(`${BASE}/v1/sessions/${SESSION}/queue`, null, auth(token)));
  for (let i = 0; i < 120 && queue.status === 200 && !queue.json("admitted"); i++) {
    sleep(1);
    queue = watch(http.get(`${BASE}/v1/sessions/${SESSION}/queue`, auth(token)));
  }
  const admission = queue.status === 200 ? queue.json("admissionToken") : undefined;

  const quantity = 1 + (n % 4);
  const headers = { "idempotency-key": `k6-${RUN}-${n}` };
  if (admission) headers["x-admission-token"] = admission;
  const hold = watch(
    http.post(`${BASE}/v1/sessions/${SESSION}/holds`, JSON.stringify({ areaId: AREA, quantity }), auth(token, headers)),
  );
  holdMs.add(hold.timings.duration);
  check(hold, { "hold answered 201/409/202": (r) => [201, 202, 409].includes(r.status) });
  if (hold.status === 201) granted.add(1);
  if (hold.status === 409) refused.add(1);
}

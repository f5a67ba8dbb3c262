// k6: browsers watching the seat map during a sale (the read path: Redis read model through
// the gate). Runs on its own, and as the `readers` scenario of flash-sale.js.
//
//   k6 run --local-ips 127.0.0.2-127.0.0.250 -e BASE_URL=http://127.0.0.1:8080 -e SESSION_ID=<uuid> \
//          -e VUS=100 -e DURATION=30s loadtest/k6/seat-map-readers.js
import { check, sleep } from "k6";
import http from "k6/http";
import { Counter, Trend } from "k6/metrics";
import { BROWSER_HEADERS, assertLoopback } from "./lib/common.js";

const BASE = assertLoopback(__ENV.BASE_URL || "http://127.0.0.1:8080");

export const options = {
  vus: Number(__ENV.VUS || 100),
  duration: __ENV.DURATION || "30s",
  thresholds: { seat_map_errors: ["count==0"], step_seat_map: ["p(99)<2000"] },
};

const seatMapMs = new Trend("step_seat_map", true);
const seatMapErrors = new Counter("seat_map_errors");

/** One look at the seat map, then a pause as a person takes (also the flash sale's `readers` scenario). */
export function readSeatMap(sessionId, token) {
  const headers = Object.assign({}, BROWSER_HEADERS);
  if (token) headers.authorization = `Bearer ${token}`;
  // responseType none: the body is read and dropped, not copied into the VU (20,000 seats each look).
  const res = http.get(`${BASE}/v1/sessions/${sessionId}/seats`, { headers: headers, tags: { step: "seat_map" }, responseType: "none" });
  seatMapMs.add(res.timings.duration);
  if (!check(res, { "seat map 200": (r) => r.status === 200 })) seatMapErrors.add(1);
  // Every ~10 s, as the web app's public seat map reads it (signed-in buyers follow the live feed).
  sleep(9 + Math.random() * 2);
  return res;
}

export default function () {
  readSeatMap(__ENV.SESSION_ID);
}

// k6: browsers polling the seat map during a sale (read path: Redis read model through the gate).
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e SESSION_ID=<uuid> -e VUS=100 -e DURATION=30s \
//          loadtest/k6/seat-map-readers.js
import http from "k6/http";
import { check, sleep } from "k6";

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";
if (!/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(BASE)) {
  throw new Error(`BASE_URL must be a loopback address, got ${BASE}`);
}

export const options = {
  vus: Number(__ENV.VUS || 100),
  duration: __ENV.DURATION || "30s",
  thresholds: { http_req_failed: ["rate<0.001"], http_req_duration: ["p(99)<500"] },
};

export default function () {
  const res = http.get(`${BASE}/v1/sessions/${__ENV.SESSION_ID}/seats`);
  check(res, { "seat map 200": (r) => r.status === 200 });
  sleep(1);
}

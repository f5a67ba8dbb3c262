// The flash-sale report as one self-contained HTML page (inline SVG plots, no scripts, no
// fetches), shared by k6's handleSummary and the Node runner. ES2015 that k6 v0.48 compiles.

function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
}

// toFixed and a regex, not toLocaleString with options: k6's JavaScript runtime has no Intl.
function fmt(n, digits) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "–";
  const parts = n.toFixed(digits === undefined ? 0 : digits).split(".");
  parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return parts.join(".");
}

/** A line chart of `series` ({name, color, values}) over `xs` (seconds), with its own y axis. */
export function lineChart(title, unit, xs, series) {
  const w = 720;
  const h = 220;
  const left = 56;
  const bottom = 28;
  const top = 24;
  const right = 12;
  let maxY = 1;
  const maxX = xs.length > 0 ? xs[xs.length - 1] : 1;
  series.forEach((s) => {
    s.values.forEach((v) => {
      if (typeof v === "number" && Number.isFinite(v) && v > maxY) maxY = v;
    });
  });
  const x = (t) => left + ((w - left - right) * t) / Math.max(1, maxX);
  const y = (v) => h - bottom - ((h - bottom - top) * v) / maxY;
  // Styles inline (no classes): the chart also stands alone as an .svg file (docs/benchmarks.md).
  const parts = [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + w + " " + h + '" font-family="sans-serif" role="img" aria-label="' + esc(title) + '">',
  ];
  parts.push("<title>" + esc(title) + "</title>");
  parts.push('<text x="' + left + '" y="14" font-size="13" font-weight="bold">' + esc(title) + "</text>");
  for (let i = 0; i <= 4; i++) {
    const v = (maxY * i) / 4;
    parts.push('<line x1="' + left + '" x2="' + (w - right) + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#eee"/>');
    parts.push('<text x="' + (left - 6) + '" y="' + (y(v) + 4) + '" font-size="11" fill="#666" text-anchor="end">' + fmt(v, maxY < 10 ? 1 : 0) + "</text>");
  }
  parts.push('<text x="' + (w - right) + '" y="' + (h - 4) + '" font-size="11" fill="#666" text-anchor="end">' + fmt(maxX) + " s</text>");
  parts.push('<text x="' + left + '" y="' + (h - 4) + '" font-size="11" fill="#666">0 s</text>');
  parts.push('<text x="4" y="' + (top - 8) + '" font-size="11" fill="#666">' + esc(unit) + "</text>");
  series.forEach((s, k) => {
    const points = [];
    for (let j = 0; j < xs.length; j++) {
      const value = s.values[j];
      if (typeof value === "number" && Number.isFinite(value)) points.push(x(xs[j]).toFixed(1) + "," + y(value).toFixed(1));
    }
    parts.push('<polyline fill="none" stroke="' + s.color + '" stroke-width="2" points="' + points.join(" ") + '"/>');
    parts.push('<text x="' + (left + 10 + k * 150) + '" y="' + (top + 4) + '" fill="' + s.color + '" font-size="12">■ ' + esc(s.name) + "</text>");
  });
  parts.push("</svg>");
  return parts.join("");
}

function table(head, rows) {
  let html = "<table><tr>" + head.map((c) => "<th>" + esc(c) + "</th>").join("") + "</tr>";
  rows.forEach((r) => {
    html += "<tr>" + r.map((c) => "<td>" + esc(c) + "</td>").join("") + "</tr>";
  });
  return html + "</table>";
}

/** The sale's timeline as two charts: grants, payments and 429s per second; hold latency over time. */
export function timelineCharts(report) {
  const tl = report.timeline || [];
  const xs = tl.map((p) => p.t);
  const pick = (key) => tl.map((p) => p[key]);
  return [
    lineChart("Sale timeline: per second", "per s", xs, [
      { name: "holds granted", color: "#1f77b4", values: pick("grants") },
      { name: "payments", color: "#2ca02c", values: pick("payments") },
      { name: "429 answers", color: "#d62728", values: pick("limited") },
    ]),
    lineChart("Hold latency over time", "ms", xs, [
      { name: "hold p50", color: "#9467bd", values: pick("holdP50") },
      { name: "hold p99", color: "#ff7f0e", values: pick("holdP99") },
    ]),
  ].join("\n");
}

/** The report page. `report` is the runners' common JSON (see loadtest/README.md). */
export function renderHtml(report) {
  const t = report.totals;
  const verdict = report.failures.length === 0
    ? '<p class="ok">PASSED</p>'
    : '<p class="bad">FAILED</p><ul>' + report.failures.map((f) => "<li>" + esc(f) + "</li>").join("") + "</ul>";
  const figures = [
    ["buyers", fmt(report.buyers)],
    ["holds granted", fmt(t.granted) + " (" + fmt(t.seatsGranted) + " seats)"],
    ["holds/s", fmt(report.rates.holdsPerSecond, 1)],
    ["payments", fmt(t.paid) + " (" + fmt(report.rates.paymentsPerSecond, 1) + "/s)"],
    ["tickets issued", fmt(t.ticketsIssued)],
    ["409 refused / 202 pending", fmt(t.refused) + " / " + fmt(t.pending)],
    ["429 rate limited", fmt(t.rateLimited) + " of " + fmt(report.requests) + " answers"],
    ["5xx", fmt(t.serverErrors)],
    ["428 proof of work asked / solved", fmt(t.challenged) + " / " + fmt(t.solved || 0)],
    ["duration", fmt(report.elapsedSeconds, 1) + " s"],
  ];
  const steps = Object.keys(report.steps).map((name) => {
    const s = report.steps[name];
    return [name, fmt(s.count), fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max), s.thresholdMs ? "< " + fmt(s.thresholdMs) : ""];
  });
  const statuses = Object.keys(report.statuses).sort().map((k) => [k, fmt(report.statuses[k])]);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rush flash sale · ' + esc(report.runId) + "</title>",
    "<style>body{font:14px system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}h1{font-size:20px}",
    "table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}",
    "td:first-child,th:first-child{text-align:left}.ok{color:#080;font-weight:bold}.bad{color:#b00;font-weight:bold}",
    "svg{width:100%;height:auto;margin:1em 0}</style></head><body>",
    "<h1>Rush flash sale · " + esc(report.runner) + " runner · run " + esc(report.runId) + "</h1>",
    "<p>" + esc(report.startedAt) + " · " + esc(report.baseUrl) + " · session " + esc(report.sessionId) + "</p>",
    verdict,
    table(["figure", "value"], figures),
    timelineCharts(report),
    "<h2>Latency per step (ms)</h2>",
    table(["step", "count", "p50", "p95", "p99", "max", "threshold p99"], steps),
    "<h2>Answers</h2>",
    table(["step and status", "count"], statuses),
    (report.notes || []).map((n) => "<p>" + esc(n) + "</p>").join(""),
    "</body></html>",
  ].join("\n");
}

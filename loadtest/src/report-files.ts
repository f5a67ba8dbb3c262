import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type LoadReport, renderHtml } from "../k6/lib/report.js";

/** `<dir>/<runner>-<runId>.json` and `.html` (self-contained: open it from disk). */
export async function writeReport(dir: string, report: LoadReport): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, `${report.runner}-${report.runId}`);
  await writeFile(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${stem}.html`, renderHtml(report));
  return { json: `${stem}.json`, html: `${stem}.html` };
}

/** The few lines a terminal shows of a report. */
export function reportSummary(report: LoadReport): string {
  const t = report.totals;
  const step = (name: string) => {
    const s = report.steps[name];
    return s ? `${name} p50/p95/p99 ${Math.round(s.p50)}/${Math.round(s.p95)}/${Math.round(s.p99)} ms` : `${name} –`;
  };
  return [
    `${report.runner} run ${report.runId}: ${report.buyers} buyers in ${report.elapsedSeconds.toFixed(1)} s`,
    `  holds granted ${t.granted} (${t.seatsGranted} seats, ${report.rates.holdsPerSecond.toFixed(1)}/s), paid ${t.paid} (${report.rates.paymentsPerSecond.toFixed(1)}/s), tickets ${t.ticketsIssued}`,
    `  answers ${report.requests}: 409 ${t.refused}, 202 ${t.pending}, 429 ${t.rateLimited}, 5xx ${t.serverErrors}, 428 ${t.challenged} (solved ${t.solved ?? 0})`,
    `  ${step("hold")}; ${step("pay")}; ${step("queue_join")}`,
    report.failures.length === 0 ? "PASSED" : `FAILED:\n${report.failures.map((f) => `  - ${f}`).join("\n")}`,
  ].join("\n");
}

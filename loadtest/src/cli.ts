/**
 * `pnpm loadtest [run] [options]`: seed buyers, run the flash sale against the running stack,
 * print the report path. `pnpm loadtest seed --buyers N`: only seed (for k6 runs by hand).
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type LoadReport, timelineCharts } from "../k6/lib/report.js";
import { failuresOf } from "../k6/lib/rules.js";
import { auditSale } from "./audit.ts";
import { writeBuyersFile } from "./buyers-file.ts";
import { loadLoadtestConfig } from "./config.ts";
import { runFlashSale } from "./flash-sale.ts";
import { findK6, k6StartAllowanceSeconds, runK6 } from "./k6-runner.ts";
import { defaultLocalIps, parseLocalIps } from "./local-ips.ts";
import { NotOnSaleError } from "./preflight.ts";
import { reportSummary, writeReport } from "./report-files.ts";
import { createSaleSession } from "./sale-session.ts";
import { seedBuyers } from "./seed.ts";

const USAGE = `usage:
  pnpm loadtest seed --buyers N [--run-id ID]
      create N buyers and their access tokens; prints the buyers file (for k6 -e BUYERS_FILE=…)
  pnpm loadtest [run] [--buyers 2000] [--runner node|k6] [--session UUID] [--max-seconds 180]
                [--ramp-seconds 10] [--opens-in 10] [--admit-per-second 100] [--local-ips 127.0.B.2-127.0.B.250]
                [--p99-scale 1]
      seed, open a fresh session of the demo event (unless --session), run the flash sale
      against the running stack, audit it, write the JSON and HTML report, print their paths
  pnpm loadtest plot <report.json> <out.svg>
      a report's timeline charts as one standalone SVG`;

class UsageError extends Error {}

const int = (name: string, text: string | undefined, min: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${text})`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const [command = "run", ...rest] = argv[0] === undefined || argv[0].startsWith("-") ? ["run", ...argv] : argv;
  const config = loadLoadtestConfig();
  if (command === "seed") {
    const { values } = parseArgs({ args: rest, options: { buyers: { type: "string" }, "run-id": { type: "string" } } });
    if (values.buyers === undefined) throw new UsageError("seed needs --buyers N");
    const seed = await seedBuyers({
      databaseUrl: config.databaseUrl,
      buyers: int("buyers", values.buyers, 1),
      jwtSecret: config.jwtSecret,
      nodeEnv: config.nodeEnv,
      ...(values["run-id"] ? { runId: values["run-id"] } : {}),
    });
    const path = await writeBuyersFile(config.reportDir, seed);
    console.error(`seeded ${seed.buyers.length.toLocaleString("en")} buyers (run ${seed.runId}) in ${(seed.elapsedMs / 1000).toFixed(1)} s`);
    console.log(path);
    return 0;
  }
  if (command === "plot") {
    // A report's timeline as one standalone SVG (two charts stacked), e.g. for docs/benchmarks.md.
    const [from, to] = rest;
    if (!from || !to) throw new UsageError("plot needs <report.json> <out.svg>");
    const report = JSON.parse(await readFile(from, "utf8")) as LoadReport;
    const charts = timelineCharts(report).split("\n");
    await writeFile(
      to,
      `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${220 * charts.length}"><title>Flash sale ${report.runId}: timeline</title>${charts.map((c, i) => `<g transform="translate(0 ${220 * i})">${c.replace(/^<svg /, '<svg width="720" height="220" ')}</g>`).join("")}</svg>\n`,
    );
    console.log(to);
    return 0;
  }
  if (command !== "run") throw new UsageError(`unknown command ${command}`);

  const { values } = parseArgs({
    args: rest,
    options: {
      buyers: { type: "string", default: "2000" },
      runner: { type: "string", default: "node" },
      session: { type: "string" },
      "max-seconds": { type: "string", default: "180" },
      "ramp-seconds": { type: "string", default: "10" },
      "opens-in": { type: "string", default: "10" },
      "admit-per-second": { type: "string", default: "100" },
      "local-ips": { type: "string", default: defaultLocalIps() },
      "p99-scale": { type: "string", default: "1" },
    },
  });
  const buyers = int("buyers", values.buyers, 1);
  const maxSeconds = int("max-seconds", values["max-seconds"], 5);
  const rampSeconds = int("ramp-seconds", values["ramp-seconds"], 0);
  const localIps = parseLocalIps(values["local-ips"]);
  const p99Scale = Number(values["p99-scale"]);
  if (!(p99Scale >= 1 && p99Scale <= 100)) throw new UsageError("--p99-scale is a factor from 1 to 100");
  if (values.runner !== "node" && values.runner !== "k6") throw new UsageError("--runner is node or k6");
  const k6 = values.runner === "k6" ? findK6(config.k6, config.repoRoot) : undefined;
  if (values.runner === "k6" && !k6) {
    throw new Error("no k6 found (K6=/path/to/k6, k6 on PATH, or ../shared/tools/k6): see loadtest/README.md to get one, or use --runner node");
  }

  const seed = await seedBuyers({ databaseUrl: config.databaseUrl, buyers, jwtSecret: config.jwtSecret, nodeEnv: config.nodeEnv });
  console.error(`seeded ${buyers.toLocaleString("en")} buyers in ${(seed.elapsedMs / 1000).toFixed(1)} s (run ${seed.runId})`);
  // Publishing loads 20,000 seats into the seat engine: seconds on a quiet stack, up to the gate's
  // 130 s publish timeout on a starved one. Said before it starts, so a wait here is not taken for a hang.
  if (!values.session) console.error(`opening a fresh session of the demo event at ${config.gateUrl} (publishing its seats into the seat engine)…`);
  const opensIn = int("opens-in", values["opens-in"], 0);
  const sale = values.session
    ? undefined
    : await createSaleSession({
        baseUrl: config.gateUrl,
        admin: config.admin,
        opensInSeconds: opensIn + (k6 ? k6StartAllowanceSeconds(buyers) : 0),
        admitPerSecond: int("admit-per-second", values["admit-per-second"], 1),
      });
  const sessionId = sale ? sale.id : (values.session as string);
  console.error(`flash sale on session ${sessionId} (${config.gateUrl}), ${values.runner} runner`);

  let report: LoadReport;
  let exitCode = 0;
  if (k6) {
    const ran = await runK6({
      k6,
      repoRoot: config.repoRoot,
      baseUrl: config.gateUrl,
      sessionId,
      runId: seed.runId,
      buyersFile: await writeBuyersFile(config.reportDir, seed),
      buyers,
      reportDir: config.reportDir,
      localIps: values["local-ips"],
      rampSeconds,
      maxSeconds,
      p99Scale,
      ...(sale ? { arriveFrom: sale.opensAt - opensIn * 1000 } : {}),
    });
    report = ran.report;
    // What k6's virtual users cannot see from inside: the sale's invariants across all of them.
    report.audit = await auditSale(config.databaseUrl, sessionId);
    report.totals.ticketsIssued = report.audit.ticketsIssued;
    report.failures = [...new Set([...report.failures, ...failuresOf(report, p99Scale)])];
    exitCode = ran.exitCode;
  } else {
    report = await runFlashSale({
      baseUrl: config.gateUrl,
      databaseUrl: config.databaseUrl,
      sessionId,
      runId: seed.runId,
      buyers: seed.buyers,
      localIps,
      rampSeconds,
      maxSeconds,
      p99Scale,
    });
  }
  const paths = await writeReport(config.reportDir, report);
  console.log(reportSummary(report));
  console.log(`report: ${paths.html}\n        ${paths.json}`);
  return report.failures.length > 0 || exitCode !== 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`loadtest: ${error.message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError || error instanceof NotOnSaleError ? 2 : 1);
  },
);

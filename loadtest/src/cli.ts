import { parseArgs } from "node:util";
import { runFlashSale } from "./flash-sale.ts";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:8080" },
    session: { type: "string" },
    area: { type: "string", default: "A1" },
    buyers: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "200" },
    "max-seconds": { type: "string", default: "180" },
  },
});
if (!values.session) {
  console.error("usage: pnpm --filter @rush/loadtest flash-sale --session <uuid> [--base URL] [--area A1] [--buyers N] [--concurrency N] [--max-seconds S]");
  process.exit(2);
}
const summary = await runFlashSale({
  baseUrl: values.base,
  sessionId: values.session,
  areaId: values.area,
  buyers: Number(values.buyers),
  concurrency: Number(values.concurrency),
  maxDurationMs: Number(values["max-seconds"]) * 1000,
});
console.log(JSON.stringify(summary, null, 2));
// A 5xx or a seat sold twice fails the run, as the k6 thresholds do.
process.exit(summary.serverErrors > 0 || summary.doubleGranted.length > 0 ? 1 : 0);

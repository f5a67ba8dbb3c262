/**
 * `pnpm loadtest [run] [options]`: seed buyers, run the flash sale against the running stack,
 * print the report path. `pnpm loadtest seed --buyers N`: only seed (for k6 runs by hand).
 */
import { parseArgs } from "node:util";
import { writeBuyersFile } from "./buyers-file.ts";
import { loadLoadtestConfig } from "./config.ts";
import { seedBuyers } from "./seed.ts";

const USAGE = `usage:
  pnpm loadtest seed --buyers N [--run-id ID]      create N buyers and their tokens; prints the buyers file
  pnpm loadtest [run] [--buyers N] [--runner node|k6] [--session UUID] [--area S01] [--max-seconds S]
                                                   seed, run the flash sale on the running stack, print the report`;

async function main(argv: string[]): Promise<number> {
  const [command = "run", ...rest] = argv[0]?.startsWith("-") ? ["run", ...argv] : argv;
  const config = loadLoadtestConfig();
  if (command === "seed") {
    const { values } = parseArgs({ args: rest, options: { buyers: { type: "string" }, "run-id": { type: "string" } } });
    if (values.buyers === undefined) throw new UsageError("seed needs --buyers N");
    const seed = await seedBuyers({
      databaseUrl: config.databaseUrl,
      buyers: Number(values.buyers),
      jwtSecret: config.jwtSecret,
      nodeEnv: config.nodeEnv,
      ...(values["run-id"] ? { runId: values["run-id"] } : {}),
    });
    const path = await writeBuyersFile(config.reportDir, seed);
    console.log(`seeded ${seed.buyers.length.toLocaleString("en")} buyers (run ${seed.runId}) in ${(seed.elapsedMs / 1000).toFixed(1)} s`);
    console.log(path);
    return 0;
  }
  throw new UsageError(`unknown command ${command}`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`loadtest: ${error.message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

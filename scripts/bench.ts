/**
 * `pnpm bench <name>`: runs `services/<x>/bench/<name>.bench.ts` or `packages/<x>/bench/<name>.bench.ts`.
 * Benchmarks start their own servers on loopback, are bounded in count and time, print figures
 * and ratios, and stop by themselves. Record results in docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const benches = new Map<string, string>();
for (const group of ["services", "packages"]) {
  for (const pkg of readdirSync(join(ROOT, group))) {
    const dir = join(ROOT, group, pkg, "bench");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith(".bench.ts")) benches.set(file.replace(/\.bench\.ts$/, ""), join(dir, file));
    }
  }
}

const [name, ...args] = process.argv.slice(2);
const file = name ? benches.get(name) : undefined;
if (!file) {
  console.error(`usage: pnpm bench <name> [args]\nbenchmarks: ${[...benches.keys()].sort().join(", ") || "(none yet)"}`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ["--import", "tsx", file, ...args], { stdio: "inherit", cwd: join(file, "..", "..") });
process.exit(result.status ?? 1);

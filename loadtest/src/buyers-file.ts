import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SeedResult, SeededBuyer } from "./seed.ts";

/**
 * Seeded buyers on disk for the runners: a JSON array of `{id, email, token}` that k6 loads
 * into a `SharedArray` (one copy for all virtual users) and the Node runner reads back.
 */
export async function writeBuyersFile(dir: string, seed: SeedResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `buyers-${seed.runId}.json`);
  await writeFile(path, JSON.stringify(seed.buyers), { mode: 0o600 });
  return path;
}

export async function readBuyersFile(path: string): Promise<SeededBuyer[]> {
  const buyers = JSON.parse(await readFile(path, "utf8")) as SeededBuyer[];
  if (!Array.isArray(buyers) || buyers.length === 0) throw new Error(`${path} holds no buyers`);
  return buyers;
}

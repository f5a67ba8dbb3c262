import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { Stack } from "./stack.ts";

const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Builds the app into `dist/` as `pnpm --filter @rush/web build` does. */
export async function buildApp(): Promise<void> {
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "warn" });
}

/** What the gate answers itself today, probed: in production every route family goes through it. */
export interface GateCoverage {
  app: boolean;
  orders: boolean;
  payments: boolean;
  tickets: boolean;
  live: boolean;
}

const NO_ROUTE = 404;
const ANY_ID = "00000000-0000-4000-8000-000000000000";

export async function probeGate(gateUrl: string): Promise<GateCoverage> {
  const status = async (path: string, init: RequestInit = {}) => (await fetch(`${gateUrl}${path}`, init)).status;
  const page = await fetch(`${gateUrl}/sessions/${ANY_ID}`, { headers: { accept: "text/html" } });
  return {
    app: page.ok && (page.headers.get("content-type") ?? "").includes("text/html"),
    orders: (await status(`/v1/orders/${ANY_ID}`)) !== NO_ROUTE,
    payments: (await status(`/v1/orders/${ANY_ID}/pay`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })) !== NO_ROUTE,
    tickets: (await status("/v1/me/tickets")) !== NO_ROUTE,
    live: (await status("/socket.io/?EIO=4&transport=polling")) !== NO_ROUTE,
  };
}

/**
 * The origin the browser talks to: the gate itself, as in production. It must serve the app
 * and forward every API family and the live updates; a family it does not is a failure here,
 * not something to route around.
 */
export async function frontDoorOf(stack: Stack): Promise<string> {
  const coverage = await probeGate(stack.gate.url);
  const missing = Object.entries(coverage)
    .filter(([, ok]) => !ok)
    .map(([family]) => family);
  if (missing.length > 0) throw new Error(`the gate does not serve: ${missing.join(", ")}`);
  return stack.gate.url;
}

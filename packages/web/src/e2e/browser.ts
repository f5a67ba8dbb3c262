import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Page, chromium } from "playwright-core";

/** Screenshots land here (gitignored `test-results/`). */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../../test-results");

/** Debian's Chromium; Playwright's own browser download cannot run on these machines. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * A headless Chromium with a fresh profile. Without the background-networking flags Chromium
 * keeps calling home, which the closed network here answers with timeouts.
 */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** The browser's console errors and failed requests, for failure messages. */
export function collectProblems(page: Page, label: string, into: string[]): void {
  page.on("console", (message) => {
    if (message.type() === "error") into.push(`[${label}] console: ${message.text()}`);
  });
  page.on("pageerror", (error) => into.push(`[${label}] page error: ${error.message}`));
}

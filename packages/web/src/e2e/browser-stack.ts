import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectProblems, launchBrowser } from "./browser.ts";
import { buildApp, frontDoorOf } from "./front-door.ts";
import { ADMIN, type Api, apiOf, login } from "./seed.ts";
import { type Stack, startStack } from "./stack.ts";

/** The built app behind the gate, the whole platform, Chromium, and the admin's token: what a browser test starts from. */
export interface BrowserStack {
  stack: Stack;
  api: Api;
  adminToken: string;
  /** Console errors and failed requests of every page opened here. */
  problems: string[];
  /** A page in a fresh context (its own cookies) on the app's origin, desktop-sized. */
  newPage(label: string): Promise<Page>;
  /** A fresh page signed in through the app's own sign-in form, landed on `next`. */
  signedInPage(label: string, who: { email: string; password: string }, next: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserStack(databasePrefix: string): Promise<BrowserStack> {
  const database: TestDatabase = await testDatabase(databasePrefix);
  let stack: Stack | undefined;
  let chromium: Browser | undefined;
  let door: string;
  let api: Api;
  let adminToken: string;
  try {
    // Built before the gate starts: the gate serves whatever build it finds at start.
    await buildApp();
    [stack, chromium] = await Promise.all([startStack(database), launchBrowser()]);
    door = await frontDoorOf(stack);
    api = apiOf(stack.gate.url);
    adminToken = await login(api, ADMIN.email, ADMIN.password);
  } catch (error) {
    await chromium?.close();
    await stack?.close();
    await database.drop();
    throw error;
  }
  const started = stack;
  const browser = chromium;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  const newPage = async (label: string) => {
    const context = await browser.newContext({ baseURL: door, viewport: { width: 1400, height: 900 }, locale: "en-GB" });
    contexts.push(context);
    const page = await context.newPage();
    collectProblems(page, label, problems);
    return page;
  };

  return {
    stack: started,
    api,
    adminToken,
    problems,
    newPage,
    async signedInPage(label, who, next) {
      const page = await newPage(label);
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await page.getByLabel("Email").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === next.split("?")[0], { timeout: 30_000 });
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await started.close();
      await database.drop();
      if (problems.length) console.warn(problems.join("\n"));
    },
  };
}

import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, TEST_STACK_ENV, infra, testPgAdminUrl } from "./infra.ts";
import { freePort } from "./ports.ts";

/**
 * A PostgreSQL cluster of one test's own, which the test may stop and start (an outage) without
 * touching the shared test cluster that every other test file uses. Made by the project's own
 * `infra/infra.sh`, under `.data/` with a free port; `dispose` stops it and deletes its data.
 * `initdb` costs a few seconds: for the tests that need to cause a database fault.
 */
export interface PrivatePostgres {
  /** The superuser's URL on the `postgres` database (for `freshDatabase`). */
  readonly adminUrl: string;
  readonly port: number;
  /** Graceful stop (`pg_ctl stop -m fast`): connections are cut, as in an outage. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dataDir = join(".data", `private-pg-${randomBytes(4).toString("hex")}`);
  const env = { ...TEST_STACK_ENV, DATA_DIR: dataDir, PG_PORT: String(port) };
  await infra(["up", "postgres"], env);
  return {
    adminUrl: testPgAdminUrl(env),
    port,
    stop: async () => {
      await infra(["down", "postgres"], env);
    },
    start: async () => {
      await infra(["up", "postgres"], env);
    },
    dispose: async () => {
      await infra(["down", "postgres"], env).catch(() => {});
      await rm(join(REPO_ROOT, dataDir), { recursive: true, force: true });
    },
  };
}

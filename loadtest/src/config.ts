import { join, resolve } from "node:path";
import { DEV_JWT_SECRET } from "@rush/service";
import { z } from "zod";

const REPO_ROOT = new URL("../..", import.meta.url).pathname;

/**
 * The load tools' environment, parsed once. Defaults find the stack `./scripts/start` runs,
 * moved by the same `PORT_OFFSET`; `bash infra/infra.sh env` prints the rest.
 */
const LoadtestEnv = z
  .object({
    NODE_ENV: z.string().default("development"),
    PORT_OFFSET: z.coerce.number().int().min(0).max(40_000).default(0),
    GATE_URL: z.url().optional(),
    DATABASE_URL: z.string().optional(),
    PG_PORT: z.coerce.number().int().optional(),
    PG_PASSWORD: z.string().default("rush-dev"),
    PG_DB: z.string().default("rush"),
    JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
    ADMIN_EMAIL: z.string().default("admin@example.com"),
    ADMIN_PASSWORD: z.string().default("admin-dev-password"),
    /** A k6 binary; otherwise `k6` on PATH, then ../shared/tools/k6 beside the repository. */
    K6: z.string().optional(),
    /** Relative to the repository, as infra.sh takes it: k6 opens files relative to its script, not to here. */
    DATA_DIR: z
      .string()
      .default(".data")
      .transform((dir) => resolve(REPO_ROOT, dir)),
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    gateUrl: env.GATE_URL ?? `http://127.0.0.1:${8080 + env.PORT_OFFSET}`,
    databaseUrl:
      env.DATABASE_URL ??
      `postgres://postgres:${encodeURIComponent(env.PG_PASSWORD)}@127.0.0.1:${env.PG_PORT ?? 15432 + env.PORT_OFFSET}/${encodeURIComponent(env.PG_DB)}`,
    jwtSecret: env.JWT_SECRET,
    admin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    k6: env.K6,
    reportDir: join(env.DATA_DIR, "loadtest"),
    repoRoot: REPO_ROOT,
  }));
export type LoadtestConfig = z.infer<typeof LoadtestEnv>;

export function loadLoadtestConfig(env: NodeJS.ProcessEnv = process.env): LoadtestConfig {
  const parsed = LoadtestEnv.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

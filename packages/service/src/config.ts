import { Role } from "@rush/contracts";
import { z } from "zod";

/** The local dev stack's addresses (`bash infra/infra.sh env`): defaults only in development and test. */
export const DEV_URLS = {
  NATS_URL: "nats://127.0.0.1:14222",
  REDIS_URL: "redis://127.0.0.1:16379",
  DATABASE_URL: "postgres://postgres:rush-dev@127.0.0.1:15432/rush",
} as const;

/** Published in this repository, so worthless as secrets: accepted only in development and test. */
export const DEV_JWT_SECRET = "rush-dev-jwt-secret-change-me";

/** What every service reads from the environment; services extend it with their own keys. */
export const BaseConfig = z.object({
  /**
   * Unset means production rules: a deployment that forgets NODE_ENV must not run on the
   * published development secrets (fail closed). The project's scripts and testkit set it.
   */
  NODE_ENV: z.enum(["development", "test", "production"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bind address: loopback unless a deployment says otherwise. */
  HOST: z.string().default("127.0.0.1"),
  /** Comma-separated: every node of a NATS cluster (any may be down when a service starts). */
  NATS_URL: z.string().default(DEV_URLS.NATS_URL),
  /**
   * How many copies of every stream and KV bucket JetStream keeps: 1 on one server, 3 on a
   * 3-node cluster (`infra.sh env --cluster` says 3). Applied by `ensureTopology` at start.
   */
  NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** One URL is one Redis; several, comma-separated, seed a Redis Cluster client (see `createRedis`). */
  REDIS_URL: z.string().default(DEV_URLS.REDIS_URL),
  DATABASE_URL: z.string().default(DEV_URLS.DATABASE_URL),
  /**
   * Roles whose privileged routes need a token from a sign-in with a second factor (comma
   * separated, e.g. `admin,organizer`): the organization's policy. Empty: none required.
   */
  SECOND_FACTOR_ROLES: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(Role)),
  /** How long SIGTERM waits for in-flight work before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type BaseConfig = z.infer<typeof BaseConfig>;

/** Whether development defaults (secrets, the local stack's URLs, the mock provider) may apply. */
export const devDefaultsAllowed = (config: { NODE_ENV?: string | undefined }): boolean =>
  config.NODE_ENV === "development" || config.NODE_ENV === "test";

const modeOf = (config: { NODE_ENV?: string | undefined }) => (config.NODE_ENV === undefined ? "NODE_ENV is unset" : `NODE_ENV=${config.NODE_ENV}`);

/**
 * Outside development and test, names every key still at its development default (a published
 * secret or the local stack's address): the service refuses to start rather than run open.
 * `keys` maps each key to its development default; `config` holds the parsed values.
 */
export function refuseDevDefaults(
  ctx: z.RefinementCtx,
  config: Record<string, unknown> & { NODE_ENV?: string | undefined },
  keys: Record<string, string | undefined>,
): void {
  if (devDefaultsAllowed(config)) return;
  for (const [key, devValue] of Object.entries(keys)) {
    const value = config[key];
    if (value === undefined || value === "" || value === devValue) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `required: set a real value (${modeOf(config)}; development defaults apply only with NODE_ENV=development or test)`,
      });
    }
  }
}

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

/**
 * Parses the environment once, at boot, failing fast with every bad key named.
 * The only place a service reads `process.env`.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

import { z } from "zod";

/** What every service reads from the environment; services extend it with their own keys. */
export const BaseConfig = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bind address: loopback unless a deployment says otherwise. */
  HOST: z.string().default("127.0.0.1"),
  NATS_URL: z.string().default("nats://127.0.0.1:14222"),
  REDIS_URL: z.string().default("redis://127.0.0.1:16379"),
  DATABASE_URL: z.string().default("postgres://postgres:rush-dev@127.0.0.1:15432/rush"),
  /** How long SIGTERM waits for in-flight work before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type BaseConfig = z.infer<typeof BaseConfig>;

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

export { createServiceApp, type ServiceAppOptions } from "./app.ts";
export { type Check, natsCheck, postgresCheck, redisCheck } from "./checks.ts";
export { BaseConfig, ConfigError, loadConfig } from "./config.ts";
export { type Running, runService } from "./lifecycle.ts";
export { createLogger, type Logger } from "./logger.ts";
export { createMetrics } from "./metrics.ts";
export { createRedis } from "./redis.ts";

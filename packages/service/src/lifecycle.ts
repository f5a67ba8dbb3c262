import { createLogger, type Logger } from "./logger.ts";

/**
 * Reads a service's configuration at boot; on a bad or missing key logs one fatal line naming
 * every key (e.g. a secret still at its development default) and exits 1 instead of starting.
 */
export function bootConfig<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    createLogger(service).fatal({ err: error }, "refusing to start");
    process.exit(1);
  }
}

/** What a service's `main` starts: `stop` must stop taking work, drain in-flight work, and close. */
export interface Running {
  stop(): Promise<void>;
}

/**
 * Starts a service and stops it gracefully on SIGTERM or SIGINT: one signal drains, a second
 * (or the timeout) exits at once. Exits 1 if start fails, so a supervisor restarts it.
 */
export async function runService(
  logger: Logger,
  start: () => Promise<Running>,
  shutdownTimeoutMs = 10_000,
): Promise<void> {
  let running: Running;
  try {
    running = await start();
  } catch (error) {
    logger.fatal({ err: error }, "failed to start");
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "draining");
    const timer = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, "drain timed out: exiting");
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    try {
      await running.stop();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "stop failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

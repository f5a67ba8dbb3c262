import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs, one line each, tagged with the service so a shared log stream stays readable. */
export function createLogger(service: string, level = "info"): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["req.headers.authorization", "*.password", "*.refreshToken", "*.accessToken"], censor: "[redacted]" },
  });
}

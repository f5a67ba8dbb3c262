import { type DestinationStream, type Logger, pino, stdSerializers } from "pino";

export type { Logger };

type Serialized = Record<string, unknown>;

// drizzle's DrizzleQueryError writes the bound values into its message ("params: a@b.c,$scrypt$…")
// and keeps them in `params`; PostgreSQL's `detail` quotes the row ("Key (email)=(a@b.c) exists").
const PARAMS_IN_TEXT = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;
const DROPPED = ["params", "parameters", "args"];

/** Drops bound query parameters and quoted row values from a serialized error and its causes. */
export function scrubError(value: Serialized): Serialized {
  const out: Serialized = {};
  for (const [key, field] of Object.entries(value)) {
    if (DROPPED.includes(key)) continue;
    if ((key === "message" || key === "stack") && typeof field === "string") out[key] = field.replace(PARAMS_IN_TEXT, "\nparams: [redacted]");
    else if (key === "detail" && typeof field === "string") out[key] = "[redacted]";
    else if ((key === "cause" || key === "err") && field && typeof field === "object") out[key] = scrubError(field as Serialized);
    else if (key === "aggregateErrors" && Array.isArray(field)) out[key] = field.map((e) => scrubError(e as Serialized));
    else out[key] = field;
  }
  return out;
}

const errSerializer = (error: Error | string) => {
  // A reason given as text (a parked message's schema error) stays text, not an object of its characters.
  if (typeof error === "string") return error;
  const out = scrubError(stdSerializers.err(error) as unknown as Serialized);
  // The driver's error under drizzle's: its code and constraint say what went wrong, safely.
  const cause = error?.cause as { code?: unknown; constraint_name?: unknown } | undefined;
  if (cause && typeof cause.code === "string") out.dbCode = cause.code;
  if (cause && typeof cause.constraint_name === "string") out.constraint = cause.constraint_name;
  return out;
};

/**
 * JSON logs, one line each, tagged with the service so a shared log stream stays readable.
 * Errors are scrubbed of query parameters (e-mails, password hashes) wherever they are logged.
 */
export function createLogger(service: string, level = "info", destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errSerializer, error: errSerializer },
    redact: { paths: ["req.headers.authorization", "*.password", "*.refreshToken", "*.accessToken"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

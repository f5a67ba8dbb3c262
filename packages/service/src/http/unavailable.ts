/**
 * Whether an error means a dependency (Redis, NATS, Postgres) is unreachable right now rather
 * than a bug: the caller should retry later (503), and the log should not cry "unhandled".
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "CONNECTION_DESTROYED"]);
// ioredis: fails fast while disconnected; nats.js: closed/draining connection, no responders, request timeout.
const UNAVAILABLE_NAMES = new Set(["MaxRetriesPerRequestError", "ClosedConnectionError", "DrainingConnectionError", "NoRespondersError", "NoResponders", "TimeoutError", "ConnectionError", "ClusterAllFailedError"]);
// ioredis Cluster (plain Errors): a command whose node went away mid-failover or restart is
// redirected until it gives up, and a cluster client without nodes refuses at once. Seen as
// "unhandled error" 500s from the payment service while the chaos run restarted a Redis Cluster.
const UNAVAILABLE_MESSAGES = [
  /^Connection is closed\.?$/,
  /Stream isn't writeable/,
  /^Too many Cluster redirections/,
  /^Cluster isn't ready/,
  /^None of startup nodes is available/,
  /^Failed to refresh slots cache/,
];

export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  // Postgres going away: a connection exception (class 08) or a restart's "terminating
  // connection", "shutting down", "starting up" (57P01–57P03), wrapped by drizzle as the cause.
  if (typeof code === "string" && /^(08[0-9A-Z]{3}|57P0[1-3])$/.test(code)) return true;
  if (UNAVAILABLE_NAMES.has(error.name) || UNAVAILABLE_NAMES.has(error.constructor?.name ?? "")) return true;
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  return isDependencyUnavailable(error.cause, depth + 1);
}

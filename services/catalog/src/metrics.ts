import { Counter, Histogram, type Registry } from "prom-client";

/** What the catalog counts beyond the shell's defaults. */
export interface CatalogMetrics {
  /** Logins by outcome: `ok`, `invalid`, `throttled`. */
  logins: Counter<"outcome">;
  /** Refresh attempts by outcome: `rotated`, `invalid`, `reused` (a replayed token: possible theft). */
  refreshes: Counter<"outcome">;
  /** Wall time of a successful publish, from request to every area loaded. */
  publishSeconds: Histogram;
}

export function createCatalogMetrics(registry: Registry): CatalogMetrics {
  return {
    logins: new Counter({ name: "identity_logins_total", help: "Login attempts by outcome", labelNames: ["outcome"], registers: [registry] }),
    refreshes: new Counter({
      name: "identity_refreshes_total",
      help: "Refresh token presentations by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: "catalog_publish_seconds",
      help: "Time to open a session's inventory",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}

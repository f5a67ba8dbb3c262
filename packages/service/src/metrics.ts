import { Registry, collectDefaultMetrics } from "prom-client";

/** A registry per service (not prom-client's global one), with Node's default metrics. */
export function createMetrics(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

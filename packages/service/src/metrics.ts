import { Registry, collectDefaultMetrics } from "prom-client";

/** How often the event-loop delay is sampled (ms). */
export const EVENT_LOOP_SAMPLE_MS = 50;

/** A registry per service (not prom-client's global one), with Node's default metrics. */
export function createMetrics(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // The event-loop delay monitor samples on a timer: at prom-client's default 10 ms that is 100
  // wake-ups a second in every idle service, ~800 a second across a stack sharing two cores. 50 ms
  // still sees every stall that matters (they last longer than that).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return registry;
}
